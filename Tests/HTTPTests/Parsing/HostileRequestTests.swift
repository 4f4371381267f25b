import HTTP
import TestKit
import Testing

/// The shared conformance cases (`../shared/testdata/http/*.http`, read in place) through the parser, the target
/// check and the chunked decoder: each hostile request gets its exact status, and every status is one cases.json allows.
@Suite struct HostileRequestTests {
    /// File -> the exact status `api` answers (cases.json's `preferred` unless noted).
    static let refused: [(String, Int)] = [
        ("smuggle_cl_te.http", 400), ("smuggle_te_cl.http", 400), ("smuggle_te_obs_fold.http", 400), ("smuggle_cl_te_http10.http", 400),
        ("cl_duplicate_differing.http", 400), ("cl_duplicate_differing_case.http", 400), ("cl_plus_sign.http", 400),
        ("cl_hex.http", 400), ("cl_decimal_point.http", 400), ("cl_internal_space.http", 400), ("cl_vertical_tab.http", 400),
        ("cl_overflow_wraps_to_5.http", 400),
        ("te_chunked_not_final.http", 400), ("te_gzip_chunked.http", 501), ("te_chunked_vtab.http", 400),
        ("te_chunked_twice.http", 400), ("te_two_field_lines.http", 400), ("te_quoted.http", 400),
        ("chunk_size_overflow_wraps_to_5.http", 400), ("chunk_size_huge.http", 400), ("chunk_size_plus.http", 400),
        ("chunk_size_0x_prefix.http", 400), ("chunk_size_leading_space.http", 400), ("chunk_size_empty.http", 400),
        ("chunk_data_overrun.http", 400), ("chunk_bare_lf.http", 400), ("chunk_ext_oversized.http", 400),
        ("chunk_ext_nul.http", 400), ("chunk_ext_bare_cr.http", 400), ("chunked_body_over_limit.http", 413),
        ("ws_before_first_header.http", 400), ("bare_cr_request_line.http", 400), ("header_space_before_colon.http", 400),
        ("header_name_with_space.http", 400), ("header_no_colon.http", 400),
        ("host_missing.http", 400), ("host_duplicate.http", 400), ("host_empty.http", 400),
        ("asterisk_form_get.http", 400), ("connect_method.http", 400), ("nul_in_request_target.http", 400),
        ("request_target_too_long.http", 414), ("method_too_long.http", 501),
        ("version_http20.http", 505), ("version_http09.http", 505), ("version_lowercase.http", 400),
        ("tls_clienthello_on_plain_port.http", 400),
        ("header_value_too_large.http", 431), ("header_section_too_large.http", 431), ("body_too_large_content_length.http", 413),
        ("path_percent_invalid_hex.http", 400), ("path_percent_truncated.http", 400), ("path_traversal_plain.http", 400),
        ("path_traversal_encoded_dots.http", 400), ("path_overlong_utf8_dots.http", 400),
    ]

    /// Files the parsing stages accept (routing decides what they get; cases.json allows it).
    static let accepted: [String] = [
        "baseline_get.http", "baseline_post_content_length.http", "baseline_post_chunked.http", "cl_leading_zeros.http",
        "te_chunked_trailing_sp.http", "header_value_obs_text.http", "http10_no_host.http", "absolute_form.http",
        "request_target_8000.http", "leading_empty_line.http", "pipeline_three_gets.http", "pipeline_post_then_get.http",
        "get_with_body_then_get.http", "head_then_get.http", "http10_default_close.http", "http11_close_then_more.http",
        "expect_100_continue.http", "expect_100_http10.http",
        // An unknown method token (`get`) parses; the router answers it 501, or 405 on a path that exists (RouterTests).
        "method_lowercase.http",
        // Decoded once, these stay inside one segment (`..%2F..`, `%2e%2e` as text): routed as literals, so 404 — allowed.
        "path_traversal_encoded_slash.http", "path_traversal_double_encoded.http",
    ]

    @Test(arguments: refused)
    func hostileRequestGetsItsExactStatus(file: String, status: Int) throws {
        let bytes = try SharedTestData.httpCase(file)
        #expect(OfflineServer.refusal(bytes) == status)
        let allowed = SharedCases.allowedStatuses(file)
        #expect(allowed.contains(status), "cases.json allows \(allowed) for \(file)")
    }

    @Test(arguments: accepted)
    func validRequestIsAccepted(file: String) throws {
        let bytes = try SharedTestData.httpCase(file)
        #expect(OfflineServer.refusal(bytes) == nil)
        #expect(SharedCases.outcome(file) != nil, "\(file) is listed in cases.json")
    }

    /// Hostile heads are refused the same way when they arrive one byte at a time (no state leaks between reads).
    @Test(arguments: refused.filter { !$0.0.hasPrefix("chunk") && !$0.0.hasPrefix("path") })
    func hostileHeadFedOneByteAtATimeGetsTheSameStatus(file: String, status: Int) throws {
        let bytes = try SharedTestData.httpCase(file)
        var scannedUpTo = 0
        var outcome: Int?
        feeding: for length in 1...bytes.count {
            do {
                let result = try bytes[..<length].withUnsafeBytes { try RequestParser.parseHead($0, scannedUpTo: scannedUpTo) }
                switch result {
                case .incomplete(let scanned): scannedUpTo = scanned
                case .complete: outcome = OfflineServer.refusal(bytes); break feeding
                }
            } catch {
                outcome = (error as? ParseError)?.status.code ?? -2
                break feeding
            }
        }
        #expect(outcome == status)
    }
}
