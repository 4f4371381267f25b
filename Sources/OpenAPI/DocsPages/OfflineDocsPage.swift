/// The HTML of `GET /docs/offline`: API documentation and a request console in one self-contained page
/// (style and script inlined), for machines that cannot reach the CDN that `/docs` and `/redoc` load from.
///
/// The page knows nothing about this API: it fetches `/openapi.json` and renders whatever the document holds,
/// so routes added later appear without touching this file. It requests nothing but its own origin (the
/// document, the operations a user sends, the token URL), and it inserts text from the document with
/// `textContent` and `createElement` only, so a summary or an example can never become markup.
///
/// Hooks that `scripts/checks/offline_docs_check.py` (and any other test) relies on: each operation is an element with
/// `data-operation-id`; its send button has class `send`; its response area has class `response`, and gets
/// `data-status="<code>"` when a response arrives or `data-error` when the request could not be made.
enum OfflineDocsPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>API documentation</title>
    <style>
    :root {
      --bg: #f5f6f8; --panel: #ffffff; --text: #1f2328; --muted: #636c76; --border: #d9dee4; --subtle: #f0f2f5;
      --accent: #2563eb; --button: #2563eb; --code-bg: #f4f5f7; --ok: #1a7f37; --warn: #9a6700; --danger: #cf222e;
      --get: #2563eb; --post: #15803d; --put: #a21caf; --patch: #b45309; --delete: #dc2626;
      --head: #7c3aed; --options: #0e7490; --trace: #64748b;
      --mono: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
      --radius: 8px;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #0f1216; --panel: #171b21; --text: #e6edf3; --muted: #8d96a0; --border: #2f363e; --subtle: #1e242b;
        --accent: #5b9cff; --code-bg: #11151a; --ok: #3fb950; --warn: #d29922; --danger: #f85149;
      }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body {
      margin: 0; background: var(--bg); color: var(--text);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
    }
    h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
    button, input, select, textarea { font: inherit; color: inherit; }
    code, pre, textarea, .mono { font-family: var(--mono); font-size: 13px; }
    .muted { color: var(--muted); }
    code.inline { font-size: 0.88em; background: var(--code-bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; }
    [hidden] { display: none !important; }

    /* Top bar: the document's title, version and description, and the Authorize button. */
    .top { background: var(--panel); border-bottom: 1px solid var(--border); }
    .top-inner { max-width: 1240px; margin: 0 auto; padding: 22px 24px 18px; display: flex; gap: 16px; align-items: flex-start; }
    .top-text { flex: 1; min-width: 0; }
    .title-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; }
    .top h1 { font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
    .pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
            border: 1px solid var(--border); color: var(--muted); background: var(--subtle); }
    .api-description { margin: 8px 0 0; color: var(--muted); white-space: pre-wrap; max-width: 80ch; }
    .top-links { margin-top: 8px; font-size: 13px; display: flex; gap: 14px; flex-wrap: wrap; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }

    .btn { display: inline-flex; align-items: center; gap: 6px; padding: 6px 14px; border-radius: 6px; cursor: pointer;
           border: 1px solid var(--border); background: var(--panel); font-weight: 600; font-size: 14px; }
    .btn:hover { background: var(--subtle); }
    .btn:disabled { opacity: 0.6; cursor: progress; }
    .btn.primary { background: var(--button); border-color: var(--button); color: #fff; }
    .btn.primary:hover { filter: brightness(1.08); }
    .btn.small { padding: 3px 10px; font-size: 13px; font-weight: 500; }
    .authorize-button.authorized { border-color: var(--ok); color: var(--ok); }
    .icon { width: 14px; height: 14px; flex: none; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
    .authorized .dot { background: var(--ok); }

    /* Authorize panel. */
    .auth { max-width: 1240px; margin: 16px auto 0; padding: 0 24px; }
    .auth-card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 18px; }
    .auth-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
    .auth-head h2 { font-size: 17px; }
    .auth-state { font-size: 13px; padding: 2px 10px; border-radius: 999px; background: var(--subtle); color: var(--muted); }
    .auth-state.set { color: var(--ok); background: color-mix(in srgb, var(--ok) 12%, var(--panel)); }
    .auth-forms { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 18px; }
    .auth-forms form { display: flex; flex-direction: column; gap: 8px; }
    .auth-forms h3 { font-size: 14px; }
    .message { font-size: 13px; min-height: 1em; white-space: pre-wrap; }
    .message.error { color: var(--danger); }
    .message.ok { color: var(--ok); }

    /* Layout: a sticky list of operations beside the documentation. */
    .layout { max-width: 1240px; margin: 0 auto; padding: 18px 24px 48px; display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 24px; }
    .sidebar { position: sticky; top: 12px; align-self: start; max-height: calc(100vh - 24px); overflow: auto; font-size: 13px; }
    .filter { width: 100%; margin-bottom: 10px; }
    .nav-tag { font-weight: 650; text-transform: uppercase; letter-spacing: 0.04em; font-size: 11px; color: var(--muted); margin: 14px 0 4px; }
    .nav-op { display: flex; gap: 8px; align-items: center; padding: 3px 6px; border-radius: 5px; color: var(--text); }
    .nav-op:hover { background: var(--subtle); text-decoration: none; }
    .nav-op .path-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--mono); font-size: 12px; }
    .mini { flex: none; width: 46px; text-align: center; font-size: 10px; font-weight: 700; border-radius: 3px; padding: 1px 0; color: #fff; background: var(--m); }
    @media (max-width: 860px) {
      .layout { grid-template-columns: minmax(0, 1fr); }
      .sidebar { position: static; max-height: none; }
      .nav-list { display: none; }
      .top-inner { flex-direction: column; }
    }

    /* Tag groups and operations. */
    .tag-group { margin-bottom: 28px; }
    .tag-title { font-size: 19px; font-weight: 650; padding-bottom: 6px; border-bottom: 1px solid var(--border); margin-bottom: 10px; display: flex; align-items: baseline; gap: 10px; }
    .tag-title .muted { font-size: 13px; font-weight: 400; }
    .tag-description { margin: -4px 0 10px; color: var(--muted); white-space: pre-wrap; }
    .op { --m: var(--trace); border: 1px solid color-mix(in srgb, var(--m) 35%, var(--border)); border-radius: var(--radius);
          background: var(--panel); margin-bottom: 10px; overflow: hidden; }
    .m-get { --m: var(--get); } .m-post { --m: var(--post); } .m-put { --m: var(--put); } .m-patch { --m: var(--patch); }
    .m-delete { --m: var(--delete); } .m-head { --m: var(--head); } .m-options { --m: var(--options); } .m-trace { --m: var(--trace); }
    .op-head { display: flex; align-items: center; gap: 12px; width: 100%; padding: 9px 12px; border: 0; cursor: pointer; text-align: left;
               background: color-mix(in srgb, var(--m) 7%, var(--panel)); }
    .op-head:hover { background: color-mix(in srgb, var(--m) 12%, var(--panel)); }
    .op-head:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
    .badge { flex: none; min-width: 64px; text-align: center; padding: 3px 0; border-radius: 5px; background: var(--m); color: #fff;
             font-size: 12px; font-weight: 700; letter-spacing: 0.03em; }
    .path { font-family: var(--mono); font-size: 14px; font-weight: 600; overflow-wrap: anywhere; }
    .path .param { color: var(--m); }
    .deprecated .path { text-decoration: line-through; color: var(--muted); }
    .summary { flex: 1; color: var(--muted); font-size: 14px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
    .lock { display: inline-flex; color: var(--muted); }
    .lock.has-token { color: var(--ok); }
    .chevron { flex: none; width: 8px; height: 8px; border: solid var(--muted); border-width: 0 2px 2px 0; transform: rotate(45deg); margin: 0 4px 4px; transition: transform 0.15s; }
    .op.open .chevron { transform: rotate(-135deg); margin-bottom: -2px; }
    .op-body { padding: 4px 18px 18px; border-top: 1px solid color-mix(in srgb, var(--m) 25%, var(--border)); }
    .op-id { font-size: 12px; margin-top: 10px; }
    .op-description { white-space: pre-wrap; margin: 8px 0 0; }
    .section-title { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 18px 0 8px; font-weight: 650;
                     display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .ctype { font-family: var(--mono); font-size: 12px; text-transform: none; letter-spacing: 0; font-weight: 500; color: var(--text);
             background: var(--code-bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 6px; }

    /* Tables and schemas. */
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 14px; }
    th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--border); padding: 4px 10px 4px 0; }
    td { border-bottom: 1px solid var(--subtle); padding: 7px 10px 7px 0; vertical-align: top; }
    .name { font-family: var(--mono); font-weight: 600; }
    .req { color: var(--danger); font-size: 11px; font-weight: 600; margin-left: 6px; }
    .type { font-family: var(--mono); font-size: 12.5px; color: var(--accent); }
    .chip { display: inline-block; font-family: var(--mono); font-size: 11.5px; background: var(--code-bg); border: 1px solid var(--border);
            border-radius: 4px; padding: 0 5px; margin: 2px 4px 2px 0; overflow-wrap: anywhere; }
    .chip.default { border-color: color-mix(in srgb, var(--ok) 40%, var(--border)); }
    .chip.flag { color: var(--warn); }
    .schema-block { border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; background: var(--code-bg); }
    .type-line { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .schema-description { color: var(--muted); font-size: 13px; white-space: pre-wrap; }
    .props { margin-top: 4px; }
    .prop { padding: 6px 0; border-top: 1px dashed var(--border); }
    .prop:first-child { border-top: 0; }
    .prop-line { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .prop-name { font-weight: 600; }
    .nested { margin: 4px 0 0 14px; padding-left: 10px; border-left: 2px solid var(--border); }
    .nested > summary { cursor: pointer; font-size: 13px; color: var(--muted); }
    .branch-label { font-size: 12px; color: var(--muted); margin-top: 6px; }
    .responses-doc { display: flex; flex-direction: column; gap: 10px; }
    .response-doc-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
    .code { font-family: var(--mono); font-weight: 700; font-size: 13px; padding: 1px 7px; border-radius: 4px; background: var(--subtle); }
    .s2 { color: var(--ok); } .s3 { color: var(--accent); } .s4 { color: var(--warn); } .s5 { color: var(--danger); }

    /* Try it. */
    .try { margin-top: 20px; padding: 14px; border: 1px solid var(--border); border-radius: var(--radius); background: var(--subtle); }
    .try-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    .try-head h4 { font-size: 15px; }
    .auth-note { font-size: 13px; display: inline-flex; gap: 4px; align-items: center; }
    .auth-note.missing { color: var(--warn); }
    .auth-note.present { color: var(--ok); }
    .fields { display: grid; grid-template-columns: minmax(140px, max-content) minmax(0, 1fr); gap: 8px 14px; align-items: center; margin-top: 12px; }
    .field-label { font-size: 13px; }
    .field-label .where { color: var(--muted); font-size: 11px; margin-left: 6px; }
    input[type=text], input[type=password], input[type=search], select, textarea {
      width: 100%; padding: 6px 9px; border: 1px solid var(--border); border-radius: 6px; background: var(--panel);
    }
    input:focus, select:focus, textarea:focus { outline: 2px solid color-mix(in srgb, var(--accent) 60%, transparent); outline-offset: -1px; border-color: var(--accent); }
    textarea { resize: vertical; line-height: 1.45; tab-size: 2; }
    .body-editor { margin-top: 12px; }
    .body-editor-head { display: flex; align-items: center; gap: 10px; margin-bottom: 6px; font-size: 13px; }
    .actions { display: flex; gap: 10px; align-items: center; margin-top: 12px; flex-wrap: wrap; }
    .send { min-width: 90px; justify-content: center; }
    .response:empty { display: none; }
    .response { margin-top: 14px; border: 1px solid var(--border); border-radius: 6px; background: var(--panel); overflow: hidden; }
    .status-line { display: flex; align-items: center; gap: 10px; padding: 8px 12px; border-bottom: 1px solid var(--border); flex-wrap: wrap; }
    .status-line .code { font-size: 14px; }
    .request-line { font-family: var(--mono); font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
    .response details { border-bottom: 1px solid var(--border); padding: 6px 12px; }
    .response details > summary { cursor: pointer; font-size: 13px; color: var(--muted); }
    .response pre, pre.snippet { margin: 0; padding: 10px 12px; overflow: auto; max-height: 420px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .headers-table td { padding: 2px 12px 2px 0; border: 0; font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
    .headers-table td:first-child { color: var(--muted); white-space: nowrap; }
    .error-box { padding: 10px 12px; color: var(--danger); white-space: pre-wrap; }
    .card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 18px 20px; }
    .card.failure { border-color: color-mix(in srgb, var(--danger) 50%, var(--border)); }
    .card.failure h2 { color: var(--danger); font-size: 18px; margin-bottom: 8px; }
    .spinner { display: inline-block; width: 14px; height: 14px; border: 2px solid var(--border); border-top-color: var(--accent); border-radius: 50%; animation: spin 0.8s linear infinite; vertical-align: -2px; }
    @keyframes spin { to { transform: rotate(360deg); } }
    .toolbar { display: flex; gap: 8px; margin-bottom: 14px; align-items: center; flex-wrap: wrap; }
    .toolbar .muted { font-size: 13px; margin-right: auto; }
    footer { text-align: center; font-size: 12px; color: var(--muted); padding: 0 0 24px; }
    </style>
    </head>
    <body>
    <header class="top">
      <div class="top-inner">
        <div class="top-text">
          <div class="title-row"><h1 id="api-title">API documentation</h1><span class="pill" id="api-version" hidden></span><span class="pill" id="api-openapi" hidden></span></div>
          <p class="api-description" id="api-description" hidden></p>
          <div class="top-links"><a href="/openapi.json">openapi.json</a><a href="/docs">Swagger UI</a><a href="/redoc">ReDoc</a></div>
        </div>
        <button type="button" class="btn authorize-button" id="authorize-button" aria-expanded="false" aria-controls="auth"><span class="dot"></span>Authorize</button>
      </div>
    </header>
    <section class="auth" id="auth" hidden>
      <div class="auth-card">
        <div class="auth-head">
          <h2>Authorize</h2>
          <span class="auth-state" id="auth-state">No token set</span>
          <button type="button" class="btn small" id="logout">Log out</button>
        </div>
        <div class="auth-forms">
          <form id="login-form" autocomplete="on">
            <h3>Log in with a password</h3>
            <div class="muted" id="login-info" style="font-size: 13px"></div>
            <input type="text" id="login-username" name="username" placeholder="username" autocomplete="username" required>
            <input type="password" id="login-password" name="password" placeholder="password" autocomplete="current-password" required>
            <div><button type="submit" class="btn primary" id="login-submit">Log in</button></div>
            <div class="message" id="login-message"></div>
          </form>
          <form id="token-form">
            <h3>Paste a bearer token</h3>
            <div class="muted" style="font-size: 13px">Sent as <code>Authorization: Bearer &lt;token&gt;</code> with secured operations.</div>
            <textarea id="token-input" rows="3" placeholder="eyJhbGciOi..." spellcheck="false"></textarea>
            <div><button type="submit" class="btn">Use this token</button></div>
            <div class="message" id="token-message"></div>
          </form>
        </div>
      </div>
    </section>
    <div class="layout">
      <aside class="sidebar">
        <input type="search" class="filter" id="filter" placeholder="Filter operations" aria-label="Filter operations">
        <nav class="nav-list" id="nav" aria-label="Operations"></nav>
      </aside>
      <main id="main"><p class="muted"><span class="spinner"></span> Loading <code>/openapi.json</code>...</p></main>
    </div>
    <footer>Built into the server: this page loads nothing but this origin.</footer>
    <script>
    "use strict";
    (function () {
      const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
      // sessionStorage, not localStorage: a token pasted here should not outlive the browser session.
      const TOKEN_KEY = "offline-docs.access-token";
      const REASONS = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found",
        304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict", 413: "Content Too Large",
        415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error",
        501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable" };
      const state = { doc: null, token: null, operations: [], tokenListeners: [] };

      // MARK: - DOM helpers. Text from the document only ever goes in through text nodes and attributes.

      function el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        let value;
        for (const [key, item] of Object.entries(attributes || {})) {
          if (item === undefined || item === null || item === false) continue;
          if (key === "class") node.className = item;
          else if (key === "text") node.textContent = item;
          else if (key === "value") value = item;
          else if (key === "dataset") Object.assign(node.dataset, item);
          else if (key.startsWith("on")) node.addEventListener(key.slice(2), item);
          else node.setAttribute(key, item === true ? "" : String(item));
        }
        add(node, children);
        // A select's value can only be set once its options exist.
        if (value !== undefined) node.value = value;
        return node;
      }

      function add(node, children) {
        for (const child of children.flat(Infinity)) {
          if (child === null || child === undefined || child === false) continue;
          node.append(child instanceof Node ? child : String(child));
        }
      }

      function svgIcon(paths) {
        const ns = "http://www.w3.org/2000/svg";
        const svg = document.createElementNS(ns, "svg");
        svg.setAttribute("viewBox", "0 0 16 16");
        svg.setAttribute("class", "icon");
        svg.setAttribute("aria-hidden", "true");
        for (const attributes of paths) {
          const shape = document.createElementNS(ns, attributes.tag);
          for (const [key, value] of Object.entries(attributes)) if (key !== "tag") shape.setAttribute(key, value);
          svg.append(shape);
        }
        return svg;
      }

      function lockIcon() {
        return svgIcon([
          { tag: "rect", x: "3", y: "7", width: "10", height: "8", rx: "1.5", fill: "currentColor" },
          { tag: "path", d: "M5.2 7V5a2.8 2.8 0 0 1 5.6 0v2", fill: "none", stroke: "currentColor", "stroke-width": "1.6" },
        ]);
      }

      /** Text with `code` spans shown as code, the one piece of Markdown the descriptions use; text nodes only, never parsed as HTML. */
      function richText(text) {
        return String(text).split(/(`[^`\n]+`)/).filter(Boolean).map((part) =>
          part.length > 2 && part.startsWith("`") && part.endsWith("`") ? el("code", { class: "inline", text: part.slice(1, -1) }) : part);
      }

      function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
      function has(object, key) { return isObject(object) && Object.prototype.hasOwnProperty.call(object, key); }
      function json(value) { try { return JSON.stringify(value); } catch (error) { return String(value); } }
      function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

      // MARK: - References

      /** The value at a local JSON pointer (`#/components/schemas/User`), or undefined. */
      function resolvePointer(ref) {
        if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
        let node = state.doc;
        for (const raw of ref.slice(1).split("/").slice(1)) {
          const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
          if (!has(node, key) && !(Array.isArray(node) && key in node)) return undefined;
          node = node[key];
        }
        return node;
      }

      function refName(ref) {
        const last = String(ref).split("/").pop();
        try { return decodeURIComponent(last).replace(/~1/g, "/").replace(/~0/g, "~"); } catch (error) { return last; }
      }

      /** Follows `$ref` chains of parameters, bodies and responses (which, unlike schemas, have no siblings worth keeping). */
      function deref(object) {
        for (let hops = 0; isObject(object) && typeof object.$ref === "string" && hops < 32; hops++) {
          const next = resolvePointer(object.$ref);
          if (next === undefined) break;
          object = next;
        }
        return object;
      }

      /** Resolves a schema's `$ref`s; `trail` holds the refs being expanded, so a recursive model stops instead of looping. */
      function follow(schema, trail) {
        let name = null;
        while (isObject(schema) && typeof schema.$ref === "string") {
          const ref = schema.$ref;
          if (trail.includes(ref)) return { target: null, name: refName(ref), recursive: true, trail };
          const next = resolvePointer(ref);
          name = name || refName(ref);
          trail = trail.concat(ref);
          if (next === undefined) return { target: null, name, unresolved: true, trail };
          schema = next;
        }
        return { target: schema, name, trail };
      }

      function nonNull(alternatives) {
        return alternatives.filter((item) => !(isObject(item) && item.type === "null"));
      }

      // MARK: - Schemas as text

      function typeLabel(schema) {
        if (schema === true || schema === undefined) return "any";
        if (schema === false) return "never";
        if (!isObject(schema)) return "any";
        if (typeof schema.$ref === "string") return refName(schema.$ref);
        const alternatives = schema.anyOf || schema.oneOf;
        if (Array.isArray(alternatives)) return alternatives.map(typeLabel).join(" | ");
        if (Array.isArray(schema.allOf)) return schema.allOf.map(typeLabel).join(" & ");
        let type = schema.type;
        if (Array.isArray(type)) return type.map((item) => typeLabel(Object.assign({}, schema, { type: item }))).join(" | ");
        if (type === "array" || (!type && schema.items)) return "array<" + typeLabel(schema.items) + ">";
        if (!type) type = schema.properties ? "object" : has(schema, "const") ? typeof schema.const : Array.isArray(schema.enum) ? "enum" : "any";
        if (type === "object" && isObject(schema.additionalProperties) && !schema.properties) {
          return "map<string, " + typeLabel(schema.additionalProperties) + ">";
        }
        return typeof schema.format === "string" ? type + "(" + schema.format + ")" : String(type);
      }

      const CONSTRAINTS = ["minLength", "maxLength", "pattern", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties"];

      /** Chips for the constraints of `schema`, and of the non-null branch of `X | null` (shown as its own type). */
      function constraintChips(schema) {
        if (!isObject(schema)) return [];
        const chips = [];
        const sources = [schema];
        const alternatives = schema.anyOf || schema.oneOf;
        if (Array.isArray(alternatives)) for (const item of alternatives) if (isObject(item) && !item.$ref) sources.push(item);
        for (const source of sources) {
          for (const key of CONSTRAINTS) if (has(source, key)) chips.push(el("span", { class: "chip", text: key + ": " + (typeof source[key] === "string" ? source[key] : json(source[key])) }));
          if (Array.isArray(source.enum)) chips.push(el("span", { class: "chip", text: "one of: " + source.enum.map(json).join(", ") }));
          if (has(source, "const")) chips.push(el("span", { class: "chip", text: "const: " + json(source.const) }));
        }
        if (has(schema, "default")) chips.push(el("span", { class: "chip default", text: "default: " + json(schema.default) }));
        for (const flag of ["deprecated", "readOnly", "writeOnly"]) if (schema[flag] === true) chips.push(el("span", { class: "chip flag", text: flag }));
        return chips;
      }

      function descriptionOf(schema) {
        const text = isObject(schema) && typeof schema.description === "string" ? schema.description : "";
        return text ? el("div", { class: "schema-description" }, richText(text)) : null;
      }

      // MARK: - Schemas as trees

      /** A type line plus, for objects (directly, in arrays, or in unions), their properties. */
      function schemaBlock(schema) {
        const found = follow(schema, []);
        // A named model also shows what it is, so `UserPublic` reads as `UserPublic object`.
        const kind = found.name && isObject(found.target) ? el("span", { class: "muted mono", text: typeLabel(found.target) }) : null;
        const block = el("div", { class: "schema-block" },
          el("div", { class: "type-line" }, el("span", { class: "type", text: typeLabel(schema) }), kind, constraintChips(schema)),
          descriptionOf(schema) || (isObject(found.target) && found.name ? descriptionOf(found.target) : null));
        const inner = objectPart(schema, []);
        if (inner) block.append(inner.body);
        return block;
      }

      /** The object behind refs, `| null` and arrays, ready to expand, or null when there is nothing to expand. */
      function objectPart(schema, trail) {
        let label = null;
        for (let depth = 0; depth < 16; depth++) {
          const found = follow(schema, trail);
          label = label || found.name;
          if (!found.target) {
            if (!found.recursive && !found.unresolved) return null;
            const note = found.recursive ? found.name + " (recursive, shown above)" : "unresolved $ref " + found.name;
            return { label: label || found.name, body: el("div", { class: "muted", text: note }) };
          }
          schema = found.target;
          trail = found.trail;
          if (!isObject(schema)) return null;
          const alternatives = schema.anyOf || schema.oneOf;
          if (Array.isArray(alternatives)) {
            const real = nonNull(alternatives);
            if (real.length === 1) { schema = real[0]; continue; }
            const union = el("div", { class: "union" });
            real.forEach((branch, index) => {
              const part = objectPart(branch, trail);
              if (!part) return;
              union.append(el("div", { class: "branch-label", text: (schema.anyOf ? "any of" : "one of") + " #" + (index + 1) + ": " + part.label }), part.body);
            });
            return union.childNodes.length ? { label: label || typeLabel(schema), body: union } : null;
          }
          if (isObject(schema.items) && (schema.type === "array" || !schema.type)) { schema = schema.items; continue; }
          break;
        }
        if (!isObject(schema)) return null;
        const members = el("div", { class: "props" });
        appendMembers(members, schema, trail);
        if (!members.childNodes.length) return null;
        return { label: label || (typeof schema.title === "string" ? schema.title : "object"), body: members };
      }

      function appendMembers(container, schema, trail) {
        if (Array.isArray(schema.allOf)) {
          for (const part of schema.allOf) {
            const found = follow(part, trail);
            if (isObject(found.target)) appendMembers(container, found.target, found.trail);
          }
        }
        if (isObject(schema.properties)) {
          const required = new Set(Array.isArray(schema.required) ? schema.required : []);
          for (const [name, property] of Object.entries(schema.properties)) container.append(propertyRow(name, property, required.has(name), trail));
        }
        if (isObject(schema.additionalProperties) && schema.properties) {
          container.append(propertyRow("[any other name]", schema.additionalProperties, false, trail));
        }
      }

      function propertyRow(name, property, isRequired, trail) {
        const row = el("div", { class: "prop" },
          el("div", { class: "prop-line" },
            el("code", { class: "prop-name", text: name }),
            el("span", { class: "type", text: typeLabel(property) }),
            isRequired ? el("span", { class: "req", text: "required" }) : null,
            constraintChips(property)),
          descriptionOf(property));
        const inner = objectPart(property, trail);
        if (inner) row.append(el("details", { class: "nested" }, el("summary", { text: inner.label }), inner.body));
        return row;
      }

      // MARK: - Examples made from schemas

      function exampleFor(schema, trail, depth) {
        if (!isObject(schema) || depth > 10) return null;
        if (has(schema, "example")) return clone(schema.example);
        if (Array.isArray(schema.examples) && schema.examples.length) return clone(schema.examples[0]);
        if (has(schema, "default")) return clone(schema.default);
        if (typeof schema.$ref === "string") {
          if (trail.includes(schema.$ref)) return null;
          return exampleFor(resolvePointer(schema.$ref), trail.concat(schema.$ref), depth + 1);
        }
        if (has(schema, "const")) return clone(schema.const);
        if (Array.isArray(schema.enum) && schema.enum.length) return clone(schema.enum[0]);
        const alternatives = schema.anyOf || schema.oneOf;
        if (Array.isArray(alternatives) && alternatives.length) {
          const real = nonNull(alternatives);
          return real.length ? exampleFor(real[0], trail, depth + 1) : null;
        }
        if (Array.isArray(schema.allOf)) {
          let merged = {};
          for (const part of schema.allOf) {
            const value = exampleFor(part, trail, depth + 1);
            if (isObject(value)) Object.assign(merged, value); else if (value !== null) merged = value;
          }
          return merged;
        }
        let type = schema.type;
        if (Array.isArray(type)) type = type.find((item) => item !== "null") || "null";
        if (!type) type = schema.properties ? "object" : schema.items ? "array" : undefined;
        switch (type) {
          case "object": {
            const value = {};
            for (const [name, property] of Object.entries(isObject(schema.properties) ? schema.properties : {})) value[name] = exampleFor(property, trail, depth + 1);
            return value;
          }
          case "array": {
            if (schema.maxItems === 0) return [];
            const item = exampleFor(schema.items, trail, depth + 1);
            const count = Math.max(1, Number(schema.minItems) || 0);
            return Array.from({ length: count }, () => clone(item));
          }
          case "string": return exampleString(schema);
          case "integer": return exampleNumber(schema, true);
          case "number": return exampleNumber(schema, false);
          // false, not true: flags such as `is_admin` or `force` should not be asked for by an example.
          case "boolean": return false;
          default: return null;
        }
      }

      const FORMAT_EXAMPLES = { "email": "user@example.com", "date-time": "2024-01-01T12:00:00Z", "date": "2024-01-01", "time": "12:00:00",
        "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "uri": "http://localhost/", "url": "http://localhost/", "hostname": "example.com",
        "ipv4": "127.0.0.1", "ipv6": "::1", "password": "password", "byte": "c3RyaW5n", "binary": "" };

      function exampleString(schema) {
        let value = has(FORMAT_EXAMPLES, schema.format) ? FORMAT_EXAMPLES[schema.format] : null;
        if (value === null && typeof schema.pattern === "string") value = stringMatching(schema.pattern, schema);
        if (value === null) value = "string";
        // A format or a pattern decides the text; only free text is stretched or cut to the length limits.
        if (value === "string" || value === "password") {
          const maximum = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
          const length = Math.min(Math.max(value.length, Number(schema.minLength) || 0), maximum);
          value = value.repeat(Math.ceil(length / value.length) || 1).slice(0, length);
        }
        return value;
      }

      /** A string for simple patterns (literals, classes, `\d`, `\w`, quantifiers), checked against the pattern; else null. */
      function stringMatching(pattern, schema) {
        let out = "";
        let index = 0;
        const source = pattern.replace(/^\^/, "").replace(/\$$/, "");
        let last = "";
        while (index < source.length) {
          const character = source[index];
          if (character === "[") {
            const end = source.indexOf("]", index + 1);
            if (end < 0 || source[index + 1] === "^") return null;
            last = source[index + 1] === "\\" ? source[index + 2] : source[index + 1];
            if (last === "\\" || last === undefined) return null;
            index = end + 1;
          } else if (character === "\\") {
            const next = source[index + 1];
            last = next === "d" ? "0" : next === "w" ? "a" : next === "s" ? " " : /[.\\^$*+?()[\]{}|\/-]/.test(next || "") ? next : null;
            if (last === null) return null;
            index += 2;
          } else if ("()|.^$".includes(character)) {
            return null;
          } else {
            last = character;
            index += 1;
          }
          let count = 1;
          const quantifier = /^(?:\{(\d+)(?:,(\d*))?\}|([+*?]))/.exec(source.slice(index));
          if (quantifier) {
            count = quantifier[1] !== undefined ? Number(quantifier[1]) : quantifier[3] === "?" ? 0 : 1;
            index += quantifier[0].length;
          }
          out += last.repeat(Math.min(count, 64));
        }
        try { return new RegExp(pattern, "u").test(out) ? out : null; } catch (error) { return null; }
      }

      function exampleNumber(schema, integer) {
        const low = typeof schema.minimum === "number" ? schema.minimum : schema.exclusiveMinimum;
        const lowIsExclusive = typeof schema.minimum !== "number" && typeof schema.exclusiveMinimum === "number";
        const high = typeof schema.maximum === "number" ? schema.maximum : schema.exclusiveMaximum;
        const highIsExclusive = typeof schema.maximum !== "number" && typeof schema.exclusiveMaximum === "number";
        let value = 0;
        if (typeof low === "number") {
          if (!lowIsExclusive) value = integer ? Math.ceil(low) : low;
          else if (integer) value = Math.floor(low) + 1;
          else value = typeof high === "number" ? (low + high) / 2 : low + 1;
        } else if (typeof high === "number" && (highIsExclusive ? value >= high : value > high)) {
          value = integer ? (highIsExclusive ? Math.ceil(high) - 1 : Math.floor(high)) : high - 1;
        }
        return value;
      }

      // MARK: - Security

      function securityOf(operation) {
        const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(state.doc.security) ? state.doc.security : [];
        return requirements.filter(isObject);
      }

      /** True when every alternative needs a credential: an empty requirement `{}` means the credential is optional. */
      function isSecured(operation) {
        const requirements = securityOf(operation);
        return requirements.length > 0 && requirements.some((item) => Object.keys(item).length > 0);
      }

      function passwordTokenURL() {
        const schemes = isObject(state.doc.components) && isObject(state.doc.components.securitySchemes) ? state.doc.components.securitySchemes : {};
        for (const scheme of Object.values(schemes).map(deref)) {
          const flow = isObject(scheme) && scheme.type === "oauth2" && isObject(scheme.flows) ? scheme.flows.password : null;
          if (isObject(flow) && typeof flow.tokenUrl === "string") return flow.tokenUrl;
        }
        return null;
      }

      function setToken(token) {
        state.token = token || null;
        try {
          if (state.token) sessionStorage.setItem(TOKEN_KEY, state.token); else sessionStorage.removeItem(TOKEN_KEY);
        } catch (error) { /* storage disabled: the token lasts until the page is closed */ }
        const stateLabel = document.getElementById("auth-state");
        stateLabel.textContent = state.token ? "Token set (..." + state.token.slice(-8) + ")" : "No token set";
        stateLabel.classList.toggle("set", Boolean(state.token));
        document.getElementById("logout").disabled = !state.token;
        const button = document.getElementById("authorize-button");
        button.classList.toggle("authorized", Boolean(state.token));
        button.title = state.token ? "A token is set" : "No token set";
        for (const listener of state.tokenListeners) listener();
      }

      function setupAuthorize() {
        const panel = document.getElementById("auth");
        const button = document.getElementById("authorize-button");
        button.addEventListener("click", () => {
          panel.hidden = !panel.hidden;
          button.setAttribute("aria-expanded", String(!panel.hidden));
          if (!panel.hidden) (document.getElementById("login-username").offsetParent ? document.getElementById("login-username") : document.getElementById("token-input")).focus();
        });
        document.getElementById("logout").addEventListener("click", () => {
          setToken(null);
          showMessage("login-message", "Logged out.", "ok");
        });
        document.getElementById("token-form").addEventListener("submit", (event) => {
          event.preventDefault();
          const input = document.getElementById("token-input");
          const token = input.value.trim().replace(/^Bearer\s+/i, "");
          if (!token) return showMessage("token-message", "Paste a token first.", "error");
          setToken(token);
          input.value = "";
          showMessage("token-message", "Token set.", "ok");
        });
        document.getElementById("login-form").addEventListener("submit", (event) => {
          event.preventDefault();
          logIn();
        });
        let stored = null;
        try { stored = sessionStorage.getItem(TOKEN_KEY); } catch (error) { stored = null; }
        setToken(stored);
      }

      function configureLogin() {
        const tokenURL = passwordTokenURL();
        const form = document.getElementById("login-form");
        form.hidden = !tokenURL;
        if (tokenURL) {
          document.getElementById("login-info").textContent = "OAuth2 password flow: POST " + tokenURL + " (form-encoded), keeps the access_token.";
        }
      }

      async function logIn() {
        const tokenURL = passwordTokenURL();
        const submit = document.getElementById("login-submit");
        const body = new URLSearchParams({
          grant_type: "password",
          username: document.getElementById("login-username").value,
          password: document.getElementById("login-password").value,
        });
        submit.disabled = true;
        showMessage("login-message", "Logging in...", "");
        try {
          const response = await fetch(new URL(tokenURL, location.href), {
            method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
          });
          const text = await response.text();
          let payload = null;
          try { payload = JSON.parse(text); } catch (error) { payload = null; }
          if (response.ok && isObject(payload) && typeof payload.access_token === "string") {
            setToken(payload.access_token);
            document.getElementById("login-password").value = "";
            showMessage("login-message", "Logged in" + (typeof payload.token_type === "string" ? " (" + payload.token_type + " token)." : "."), "ok");
          } else {
            showMessage("login-message", "Login failed: " + response.status + " " + (response.statusText || REASONS[response.status] || "") + "\n" + detailText(payload, text), "error");
          }
        } catch (error) {
          showMessage("login-message", "Network error: " + error.message, "error");
        } finally {
          submit.disabled = false;
        }
      }

      /** The `detail` of an error body, as FastAPI writes it (a string, or a list of validation errors). */
      function detailText(payload, text) {
        if (isObject(payload) && typeof payload.detail === "string") return payload.detail;
        if (isObject(payload) && Array.isArray(payload.detail)) {
          return payload.detail.map((item) => isObject(item) ? (Array.isArray(item.loc) ? item.loc.join(".") + ": " : "") + item.msg : json(item)).join("\n");
        }
        return text.slice(0, 300);
      }

      function showMessage(id, text, kind) {
        const node = document.getElementById(id);
        node.textContent = text;
        node.className = "message" + (kind ? " " + kind : "");
      }

      // MARK: - Operations

      function collectOperations() {
        const operations = [];
        const paths = isObject(state.doc.paths) ? state.doc.paths : {};
        for (const [path, rawItem] of Object.entries(paths)) {
          const pathItem = deref(rawItem);
          if (!isObject(pathItem)) continue;
          for (const [method, operation] of Object.entries(pathItem)) {
            if (!METHODS.includes(method) || !isObject(operation)) continue;
            const id = typeof operation.operationId === "string" && operation.operationId ? operation.operationId : method + " " + path;
            operations.push({ id, method, path, operation, parameters: parametersOf(pathItem, operation) });
          }
        }
        return operations;
      }

      /** Path-level parameters, overridden by the operation's own with the same name and location. */
      function parametersOf(pathItem, operation) {
        const byKey = new Map();
        for (const list of [pathItem.parameters, operation.parameters]) {
          for (const parameter of (Array.isArray(list) ? list : []).map(deref)) {
            if (isObject(parameter) && typeof parameter.name === "string") byKey.set(parameter.in + ":" + parameter.name, parameter);
          }
        }
        return [...byKey.values()];
      }

      function groupByTag(operations) {
        const groups = new Map();
        for (const tag of Array.isArray(state.doc.tags) ? state.doc.tags : []) {
          if (isObject(tag) && typeof tag.name === "string") groups.set(tag.name, { name: tag.name, description: tag.description, operations: [] });
        }
        for (const operation of operations) {
          const tags = Array.isArray(operation.operation.tags) && operation.operation.tags.length ? operation.operation.tags : ["default"];
          for (const tag of tags.map(String)) {
            if (!groups.has(tag)) groups.set(tag, { name: tag, description: null, operations: [] });
            groups.get(tag).operations.push(operation);
          }
        }
        return [...groups.values()].filter((group) => group.operations.length);
      }

      function pathView(path) {
        // Path parameters are colored, so `{user_id}` stands out from the literal segments.
        return el("span", { class: "path" }, path.split(/(\{[^}]*\})/).filter(Boolean).map((part) =>
          part.startsWith("{") ? el("span", { class: "param", text: part }) : part));
      }

      function renderOperation(entry) {
        const { method, path, operation } = entry;
        const secured = isSecured(operation);
        const lock = secured ? el("span", { class: "lock", title: "Requires authorization" }, lockIcon()) : null;
        const head = el("button", { type: "button", class: "op-head", "aria-expanded": "false" },
          el("span", { class: "badge", text: method.toUpperCase() }),
          pathView(path),
          el("span", { class: "summary", text: typeof operation.summary === "string" ? operation.summary : "" }),
          lock,
          el("span", { class: "chevron", "aria-hidden": "true" }));
        const body = el("div", { class: "op-body", hidden: true },
          el("div", { class: "op-id muted" }, "operationId: ", el("code", { text: entry.id }),
            operation.deprecated === true ? el("span", { class: "chip flag", text: "deprecated", style: "margin-left: 8px" }) : null),
          typeof operation.description === "string" && operation.description ? el("p", { class: "op-description" }, richText(operation.description)) : null,
          parametersSection(entry.parameters),
          requestBodySection(operation),
          responsesSection(operation),
          tryItSection(entry, secured));
        const section = el("section", {
          class: "op m-" + method + (operation.deprecated === true ? " deprecated" : ""),
          dataset: { operationId: entry.id, method },
        }, head, body);
        entry.element = section;
        entry.search = [method, path, entry.id, operation.summary, operation.description].filter((item) => typeof item === "string").join(" ").toLowerCase();
        head.addEventListener("click", () => setExpanded(entry, body.hidden, true));
        if (lock) {
          const update = () => {
            lock.classList.toggle("has-token", Boolean(state.token));
            lock.title = state.token ? "Requires authorization: your token is sent" : "Requires authorization: no token set";
          };
          state.tokenListeners.push(update);
          update();
        }
        return section;
      }

      function setExpanded(entry, expanded, updateHash) {
        const head = entry.element.querySelector(".op-head");
        entry.element.querySelector(".op-body").hidden = !expanded;
        entry.element.classList.toggle("open", expanded);
        head.setAttribute("aria-expanded", String(expanded));
        // replaceState, not location.hash: a link to the operation without the browser jumping or adding history.
        if (updateHash && expanded) history.replaceState(null, "", "#op-" + encodeURIComponent(entry.id));
      }

      function parametersSection(parameters) {
        if (!parameters.length) return null;
        const described = parameters.some((parameter) => descriptionOf(parameter) || descriptionOf(parameter.schema));
        const rows = parameters.map((parameter) => el("tr", {},
          el("td", {}, el("span", { class: "name", text: parameter.name }), parameter.required === true ? el("span", { class: "req", text: "required" }) : null),
          el("td", { class: "muted", text: String(parameter.in) }),
          el("td", {}, el("span", { class: "type", text: typeLabel(parameter.schema) }), el("div", {}, constraintChips(parameter.schema))),
          described ? el("td", {}, descriptionOf(parameter) || descriptionOf(parameter.schema)) : null,
          el("td", {}, parameter.deprecated === true ? el("span", { class: "chip flag", text: "deprecated" }) : null)));
        return [
          el("h4", { class: "section-title", text: "Parameters" }),
          el("div", { class: "table-wrap" }, el("table", {},
            el("thead", {}, el("tr", {}, ["Name", "In", "Type and constraints", described ? "Description" : null, ""].filter((text) => text !== null).map((text) => el("th", { text })))),
            el("tbody", {}, rows))),
        ];
      }

      function requestBodyOf(operation) {
        const body = deref(operation.requestBody);
        return isObject(body) && isObject(body.content) ? body : null;
      }

      function requestBodySection(operation) {
        const body = requestBodyOf(operation);
        if (!body) return null;
        const parts = [];
        for (const [mediaType, media] of Object.entries(body.content)) {
          parts.push(el("h4", { class: "section-title" }, "Request body", el("span", { class: "ctype", text: mediaType }),
            body.required === true ? el("span", { class: "req", text: "required" }) : null));
          if (typeof body.description === "string") parts.push(el("p", { class: "schema-description" }, richText(body.description)));
          if (isObject(media) && media.schema !== undefined) parts.push(schemaBlock(media.schema));
        }
        return parts;
      }

      function responsesSection(operation) {
        const responses = isObject(operation.responses) ? operation.responses : {};
        const entries = Object.entries(responses);
        if (!entries.length) return null;
        const list = el("div", { class: "responses-doc" });
        for (const [status, raw] of entries) {
          const response = deref(raw);
          const content = isObject(response) && isObject(response.content) ? Object.entries(response.content) : [];
          const description = isObject(response) && typeof response.description === "string" ? response.description : "";
          const item = el("div", { class: "response-doc" },
            el("div", { class: "response-doc-head" },
              el("span", { class: "code " + statusClass(status), text: status }),
              el("span", {}, richText(description)),
              content.map(([mediaType]) => el("span", { class: "ctype", text: mediaType }))));
          for (const [, media] of content) {
            if (!isObject(media) || media.schema === undefined) continue;
            // Successful responses are what a reader looks for; error shapes stay folded.
            const open = String(status).startsWith("2");
            item.append(el("details", { class: "nested", open }, el("summary", { text: "Schema: " + typeLabel(media.schema) }), schemaBlock(media.schema)));
          }
          list.append(item);
        }
        return [el("h4", { class: "section-title", text: "Responses" }), list];
      }

      function statusClass(status) {
        const first = String(status)[0];
        return "12345".includes(first) ? "s" + first : "";
      }

      // MARK: - Try it

      function tryItSection(entry, secured) {
        const inputs = [];
        const fields = el("div", { class: "fields" });
        for (const parameter of entry.parameters) {
          if (!["path", "query", "header"].includes(parameter.in)) continue;
          const control = inputFor(parameter.schema, parameter.required === true, parameter.required === true || parameter.in === "path", parameter.name);
          inputs.push({ parameter, control });
          fields.append(
            el("label", { class: "field-label" }, el("span", { class: "name", text: parameter.name }),
              parameter.required === true ? el("span", { class: "req", text: "*" }) : null,
              el("span", { class: "where", text: parameter.in })),
            control);
        }
        const bodyEditor = bodyEditorFor(entry.operation);
        const note = secured ? el("span", { class: "auth-note" }) : null;
        if (note) {
          const update = () => {
            note.replaceChildren(lockIcon(), state.token ? "Sends your bearer token" : "Needs a token: use Authorize at the top");
            note.className = "auth-note " + (state.token ? "present" : "missing");
          };
          state.tokenListeners.push(update);
          update();
        }
        const response = el("div", { class: "response", "aria-live": "polite" });
        const send = el("button", { type: "button", class: "btn primary send", text: "Send" });
        const reset = el("button", { type: "button", class: "btn", text: "Reset" });
        send.addEventListener("click", () => sendRequest(entry, inputs, bodyEditor, response, send));
        reset.addEventListener("click", () => {
          for (const { control } of inputs) control.value = control.dataset.initial || "";
          if (bodyEditor) bodyEditor.reset();
          response.replaceChildren();
          response.removeAttribute("data-status");
          response.removeAttribute("data-error");
        });
        return el("div", { class: "try" },
          el("div", { class: "try-head" }, el("h4", { text: "Try it" }), note),
          inputs.length ? fields : null,
          bodyEditor ? bodyEditor.element : null,
          el("div", { class: "actions" }, send, reset),
          response);
      }

      /** A text box, or a select for Booleans and enums; prefilled with an example when `prefill`, else the default is the placeholder. */
      function inputFor(schema, required, prefill, name) {
        const found = follow(schema, []);
        let target = isObject(found.target) ? found.target : {};
        const alternatives = target.anyOf || target.oneOf;
        if (Array.isArray(alternatives) && nonNull(alternatives).length === 1) target = follow(nonNull(alternatives)[0], found.trail).target || {};
        const example = exampleFor(schema, [], 0);
        const initial = prefill && example !== null && example !== undefined ? (typeof example === "string" ? example : json(example)) : "";
        const choices = Array.isArray(target.enum) ? target.enum : target.type === "boolean" ? [true, false] : null;
        let control;
        if (choices) {
          const options = choices.map((choice) => el("option", { value: typeof choice === "string" ? choice : json(choice), text: typeof choice === "string" ? choice : json(choice) }));
          control = el("select", {}, required ? null : el("option", { value: "", text: has(schema, "default") ? "(default: " + json(schema.default) + ")" : "(not sent)" }), options);
          // A required select keeps its first choice rather than showing nothing selected.
          if (initial !== "" || !required) control.value = initial;
        } else {
          const secret = /password|secret/i.test(name || "") || target.format === "password";
          control = el("input", { type: secret ? "password" : "text", spellcheck: "false", value: initial,
            placeholder: isObject(schema) && has(schema, "default") ? "default: " + json(schema.default) : typeLabel(schema) });
        }
        control.dataset.initial = control.value;
        return control;
      }

      function mediaKind(mediaType) {
        const type = mediaType.split(";")[0].trim().toLowerCase();
        if (type === "application/json" || /^application\/[^/]*\+json$/.test(type)) return "json";
        if (type === "application/x-www-form-urlencoded") return "form";
        if (type === "multipart/form-data") return "multipart";
        return "text";
      }

      /** The editor for an operation's body: a JSON (or raw) textarea, or one field per form property; one per media type, switched by a select. */
      function bodyEditorFor(operation) {
        const body = requestBodyOf(operation);
        if (!body) return null;
        const media = Object.entries(body.content);
        if (!media.length) return null;
        const editors = media.map(([mediaType, item]) => mediaEditor(mediaType, isObject(item) ? item.schema : undefined));
        const chooser = editors.length > 1
          ? el("select", { style: "width: auto" }, editors.map((editor, index) => el("option", { value: String(index), text: editor.mediaType })))
          : el("span", { class: "ctype", text: editors[0].mediaType });
        const holder = el("div", {}, editors[0].element);
        let current = editors[0];
        if (editors.length > 1) {
          chooser.addEventListener("change", () => {
            current = editors[Number(chooser.value)];
            holder.replaceChildren(current.element);
          });
        }
        return {
          element: el("div", { class: "body-editor" }, el("div", { class: "body-editor-head" }, el("strong", { text: "Body" }), chooser), holder),
          read: () => current.read(),
          reset: () => editors.forEach((editor) => editor.reset()),
        };
      }

      function mediaEditor(mediaType, schema) {
        const kind = mediaKind(mediaType);
        if (kind === "form" || kind === "multipart") {
          const found = follow(schema, []);
          const target = isObject(found.target) ? found.target : {};
          const required = new Set(Array.isArray(target.required) ? target.required : []);
          const fields = el("div", { class: "fields", style: "margin-top: 0" });
          const controls = [];
          for (const [name, property] of Object.entries(isObject(target.properties) ? target.properties : {})) {
            const file = isObject(property) && (property.format === "binary" || property.contentMediaType !== undefined);
            // Form fields start empty (a user types credentials, not examples); an empty field is not sent.
            const control = file ? el("input", { type: "file" }) : inputFor(property, required.has(name), false, name);
            controls.push({ name, control, file });
            fields.append(el("label", { class: "field-label" }, el("span", { class: "name", text: name }),
              required.has(name) ? el("span", { class: "req", text: "*" }) : null), control);
          }
          return {
            mediaType, element: fields,
            read: () => {
              const data = kind === "form" ? new URLSearchParams() : new FormData();
              for (const { name, control, file } of controls) {
                if (file) { if (control.files.length) data.append(name, control.files[0]); }
                else if (control.value !== "") data.append(name, control.value);
              }
              // FormData sets its own multipart boundary, so its Content-Type must not be set here.
              return { body: data, contentType: kind === "form" ? mediaType : null };
            },
            reset: () => controls.forEach(({ control, file }) => { control.value = file ? "" : control.dataset.initial || ""; }),
          };
        }
        const example = kind === "json" ? exampleFor(schema, [], 0) : null;
        // No schema, no example: an empty editor sends no body, where `null` would send the JSON literal.
        const initial = kind === "json" && example !== null ? JSON.stringify(example, null, 2) : "";
        const textarea = el("textarea", { spellcheck: "false", rows: String(Math.min(18, Math.max(3, initial.split("\n").length + 1))), value: initial,
          "aria-label": "Request body (" + mediaType + ")" });
        return {
          mediaType, element: textarea,
          read: () => ({ body: textarea.value, contentType: mediaType }),
          reset: () => { textarea.value = initial; },
        };
      }

      function buildRequest(entry, inputs, bodyEditor) {
        let path = entry.path;
        const query = new URLSearchParams();
        const headers = new Headers();
        for (const { parameter, control } of inputs) {
          const value = control.value;
          if (parameter.in === "path") {
            if (value === "") throw new Error("Fill in the path parameter " + parameter.name + ".");
            path = path.split("{" + parameter.name + "}").join(encodeURIComponent(value));
          } else if (value === "") {
            continue;
          } else if (parameter.in === "query") {
            const schema = follow(parameter.schema, []).target;
            // Arrays in a query are repeated keys (`style: form, explode: true`, the default); type them comma-separated.
            if (isObject(schema) && schema.type === "array") value.split(",").forEach((item) => query.append(parameter.name, item.trim()));
            else query.append(parameter.name, value);
          } else {
            headers.set(parameter.name, value);
          }
        }
        const init = { method: entry.method.toUpperCase(), headers, credentials: "same-origin", redirect: "follow" };
        if (bodyEditor) {
          const { body, contentType } = bodyEditor.read();
          const isEmpty = typeof body === "string" ? body.trim() === "" : false;
          if (!isEmpty) {
            init.body = body;
            if (contentType) headers.set("Content-Type", contentType);
          }
        }
        if (!headers.has("Accept")) headers.set("Accept", "application/json, */*;q=0.5");
        if (state.token && isSecured(entry.operation)) headers.set("Authorization", "Bearer " + state.token);
        const search = query.toString();
        const url = new URL(path + (search ? "?" + search : ""), location.href);
        return { url, init };
      }

      async function sendRequest(entry, inputs, bodyEditor, panel, button) {
        panel.removeAttribute("data-status");
        panel.removeAttribute("data-error");
        let request;
        try {
          request = buildRequest(entry, inputs, bodyEditor);
        } catch (error) {
          panel.dataset.error = error.message;
          panel.replaceChildren(el("div", { class: "error-box", text: error.message }));
          return;
        }
        panel.replaceChildren(el("div", { class: "status-line" }, el("span", { class: "spinner" }), el("span", { class: "muted", text: "Sending..." })));
        button.disabled = true;
        const started = performance.now();
        try {
          const response = await fetch(request.url, request.init);
          const text = await response.text();
          showResponse(entry, panel, request, response, text, Math.round(performance.now() - started));
        } catch (error) {
          panel.dataset.error = error.message || String(error);
          panel.replaceChildren(
            el("div", { class: "status-line" }, el("span", { class: "code s5", text: "Network error" }), el("span", { class: "request-line", text: request.init.method + " " + request.url })),
            el("div", { class: "error-box", text: (error.message || String(error)) + "\nThe request did not get a response: is the server still running?" }));
        } finally {
          button.disabled = false;
        }
      }

      function showResponse(entry, panel, request, response, text, milliseconds) {
        const headerRows = [];
        response.headers.forEach((value, name) => headerRows.push(el("tr", {}, el("td", { text: name }), el("td", { text: value }))));
        const documented = isObject(entry.operation.responses) && (has(entry.operation.responses, String(response.status)) ||
          has(entry.operation.responses, String(response.status)[0] + "XX") || has(entry.operation.responses, "default"));
        const contentType = response.headers.get("content-type") || "";
        let shown = text;
        if (/json/i.test(contentType)) {
          try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { shown = text; }
        }
        panel.replaceChildren(
          el("div", { class: "status-line" },
            el("span", { class: "code " + statusClass(response.status), text: String(response.status) }),
            el("span", { text: response.statusText || REASONS[response.status] || "" }),
            el("span", { class: "muted", text: milliseconds + " ms" }),
            documented ? null : el("span", { class: "chip flag", text: "not in the document" }),
            el("span", { class: "request-line", text: request.init.method + " " + request.url.pathname + request.url.search })),
          el("details", {}, el("summary", { text: "curl" }), el("pre", { class: "snippet", text: curlCommand(request) })),
          el("details", {}, el("summary", { text: "Response headers (" + headerRows.length + ")" }), el("table", { class: "headers-table" }, el("tbody", {}, headerRows))),
          shown === "" ? el("div", { class: "error-box muted", text: "(empty body)" }) : el("pre", { class: "body", text: shown }));
        panel.dataset.status = String(response.status);
      }

      function curlCommand(request) {
        const quote = (text) => "'" + String(text).replace(/'/g, "'\\''") + "'";
        const parts = ["curl", "-X", request.init.method, quote(request.url.href)];
        request.init.headers.forEach((value, name) => parts.push("-H", quote(name + ": " + value)));
        if (typeof request.init.body === "string") parts.push("--data-raw", quote(request.init.body));
        else if (request.init.body instanceof URLSearchParams) parts.push("--data-raw", quote(request.init.body.toString()));
        else if (request.init.body instanceof FormData) request.init.body.forEach((value, name) => parts.push("-F", quote(name + "=" + (typeof value === "string" ? value : "@" + value.name))));
        return parts.join(" ");
      }

      // MARK: - Page

      function renderDocument() {
        const doc = state.doc;
        const info = isObject(doc.info) ? doc.info : {};
        const title = typeof info.title === "string" && info.title ? info.title : "API";
        document.title = title + " - API documentation";
        document.getElementById("api-title").textContent = title;
        showPill("api-version", typeof info.version === "string" ? "v" + info.version.replace(/^v/, "") : null);
        showPill("api-openapi", typeof doc.openapi === "string" ? "OpenAPI " + doc.openapi : null);
        const description = document.getElementById("api-description");
        description.replaceChildren(...richText(typeof info.description === "string" ? info.description : ""));
        description.hidden = !description.textContent;
        configureLogin();

        state.operations = collectOperations();
        const groups = groupByTag(state.operations);
        const main = document.getElementById("main");
        const nav = document.getElementById("nav");
        const content = [];
        const navigation = [];
        for (const group of groups) {
          const section = el("section", { class: "tag-group", dataset: { tag: group.name } },
            el("h2", { class: "tag-title" }, group.name, el("span", { class: "muted", text: group.operations.length + (group.operations.length === 1 ? " operation" : " operations") })),
            typeof group.description === "string" && group.description ? el("p", { class: "tag-description" }, richText(group.description)) : null);
          navigation.push(el("div", { class: "nav-tag", text: group.name, dataset: { tag: group.name } }));
          for (const entry of group.operations) {
            // An operation with several tags is shown under each; the first copy is the one `#op-<id>` opens.
            const copy = Object.assign({}, entry, { element: null, copies: null });
            section.append(renderOperation(copy));
            (entry.copies = entry.copies || []).push(copy);
            const link = el("a", { class: "nav-op m-" + entry.method, href: "#op-" + encodeURIComponent(entry.id) },
              el("span", { class: "mini", text: entry.method.toUpperCase() }), el("span", { class: "path-text", text: entry.path, title: entry.path }));
            link.addEventListener("click", (event) => { event.preventDefault(); reveal(copy); });
            copy.link = link;
            navigation.push(link);
          }
          content.push(section);
        }
        const count = state.operations.length;
        const toolbar = el("div", { class: "toolbar" },
          el("span", { class: "muted", text: count + (count === 1 ? " operation" : " operations") + " in " + groups.length + (groups.length === 1 ? " group" : " groups") }),
          el("button", { type: "button", class: "btn small", text: "Expand all", onclick: () => allCopies().forEach((copy) => setExpanded(copy, true, false)) }),
          el("button", { type: "button", class: "btn small", text: "Collapse all", onclick: () => allCopies().forEach((copy) => setExpanded(copy, false, false)) }));
        main.replaceChildren(toolbar, ...(count ? content : [el("div", { class: "card", text: "The document has no operations." })]));
        nav.replaceChildren(...navigation);
        revealFromHash();
      }

      function allCopies() { return state.operations.flatMap((entry) => entry.copies || []); }

      function showPill(id, text) {
        const pill = document.getElementById(id);
        pill.textContent = text || "";
        pill.hidden = !text;
      }

      function reveal(entry) {
        setExpanded(entry, true, true);
        entry.element.scrollIntoView({ block: "start", behavior: "smooth" });
      }

      function revealFromHash() {
        if (!location.hash.startsWith("#op-")) return;
        let id;
        try { id = decodeURIComponent(location.hash.slice(4)); } catch (error) { return; }
        const entry = state.operations.find((item) => item.id === id);
        if (entry && entry.copies) reveal(entry.copies[0]);
      }

      function applyFilter(text) {
        const words = text.toLowerCase().split(/\s+/).filter(Boolean);
        for (const copy of allCopies()) {
          const visible = words.every((word) => copy.search.includes(word));
          copy.element.hidden = !visible;
          copy.link.hidden = !visible;
        }
        for (const group of document.querySelectorAll(".tag-group")) {
          const visible = Boolean(group.querySelector(".op:not([hidden])"));
          group.hidden = !visible;
          for (const label of document.querySelectorAll(".nav-tag")) if (label.dataset.tag === group.dataset.tag) label.hidden = !visible;
        }
      }

      function showLoadError(message) {
        const retry = el("button", { type: "button", class: "btn", text: "Try again", onclick: load });
        document.getElementById("main").replaceChildren(el("div", { class: "card failure", role: "alert", dataset: { loadError: "true" } },
          el("h2", { text: "The API document could not be loaded" }),
          el("p", { text: message }),
          el("p", { class: "muted" }, "This page reads ", el("a", { href: "/openapi.json", text: "/openapi.json" }), " from the server that served it."),
          retry));
      }

      async function load() {
        document.getElementById("main").replaceChildren(el("p", { class: "muted" }, el("span", { class: "spinner" }), " Loading ", el("code", { text: "/openapi.json" }), "..."));
        let response;
        try {
          response = await fetch("/openapi.json", { headers: { "Accept": "application/json" }, cache: "no-store" });
        } catch (error) {
          return showLoadError("Network error: " + error.message + ". Is the server running?");
        }
        if (!response.ok) return showLoadError("GET /openapi.json answered " + response.status + " " + (response.statusText || REASONS[response.status] || "") + ".");
        try {
          const doc = await response.json();
          if (!isObject(doc)) throw new Error("the document is not a JSON object");
          state.doc = doc;
        } catch (error) {
          return showLoadError("/openapi.json is not valid JSON: " + error.message);
        }
        try {
          renderDocument();
        } catch (error) {
          showLoadError("The document could not be shown: " + error.message);
          throw error;
        }
      }

      setupAuthorize();
      document.getElementById("filter").addEventListener("input", (event) => applyFilter(event.target.value));
      window.addEventListener("hashchange", revealFromHash);
      load();
    })();
    </script>
    </body>
    </html>
    """#
}
