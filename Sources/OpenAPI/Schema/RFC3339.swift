/// Dates and date-times read as Pydantic v2 reads them, through the `speedate` crate: the same texts accepted, the
/// same checks in the same order, so a refused text gets speedate's own words (`ParseError`).
///
/// A date is `YYYY-MM-DD`. A date-time is a date, then `T`, `t`, `_` or a space, then `HH:MM`, optionally `:SS` and a
/// fraction after `.` or `,`, then optionally `Z`, `z` or an offset `+HH:MM`, `-HHMM` (U+2212 MINUS counts as `-`, as
/// ISO 8601 allows). Fraction digits past the sixth are dropped, as Pydantic's default `microseconds_precision`
/// (`truncate`) does. Unix timestamps, which speedate also reads, are not accepted here (see `Validator`).
package enum RFC3339 {
    /// Why a text is not a date or a date-time: speedate's `ParseError` documentation, which Pydantic puts in `msg`
    /// and `ctx.error`.
    package enum ParseError: String, Error, Equatable {
        case tooShort = "input is too short"
        case extraCharacters = "unexpected extra characters at the end of the input"
        case invalidDateTimeSeparator = "invalid datetime separator, expected `T`, `t`, `_` or space"
        case invalidDateSeparator = "invalid date separator, expected `-`"
        case invalidYear = "invalid character in year"
        case invalidMonth = "invalid character in month"
        case invalidDay = "invalid character in day"
        case invalidTimeSeparator = "invalid time separator, expected `:`"
        case invalidHour = "invalid character in hour"
        case invalidMinute = "invalid character in minute"
        case invalidSecond = "invalid character in second"
        case invalidTimezoneSign = "invalid timezone sign"
        case invalidTimezoneHour = "invalid timezone hour"
        case invalidTimezoneMinute = "invalid timezone minute"
        case timezoneMinuteOutOfRange = "timezone minute value is outside expected range of 0-59"
        case timezoneOutOfRange = "timezone offset must be less than 24 hours"
        case monthOutOfRange = "month value is outside expected range of 1-12"
        case dayOutOfRange = "day value is outside expected range"
        case hourOutOfRange = "hour value is outside expected range of 0-23"
        case minuteOutOfRange = "minute value is outside expected range of 0-59"
        case secondOutOfRange = "second value is outside expected range of 0-59"
        case secondFractionMissing = "second fraction digits missing after `.`"
    }

    /// A calendar date; year 0 parses (speedate allows it) but Python has no such date.
    package struct Date: Equatable, Sendable {
        package var year: Int
        package var month: Int
        package var day: Int

        /// `YYYY-MM-DD`.
        package var text: String {
            RFC3339.digits(year, 4) + "-" + RFC3339.digits(month, 2) + "-" + RFC3339.digits(day, 2)
        }
    }

    /// A date and a time of day, with the UTC offset when one was written (a "naive" date-time has none).
    package struct DateTime: Equatable, Sendable {
        package var date: Date
        package var hour = 0
        package var minute = 0
        package var second = 0
        package var microsecond = 0
        /// Seconds east of UTC; nil when the text gave no offset.
        package var offsetSeconds: Int?

        /// Whether the time of day is 00:00:00.000000, whatever the offset (what Pydantic asks of a date-time
        /// given for a date).
        package var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 && microsecond == 0 }

        /// The same instant in UTC as `YYYY-MM-DDTHH:MM:SS.mmmZ` (always 24 characters, so such texts sort as
        /// the instants do), a naive date-time read as UTC; sub-millisecond digits are dropped. Nil when the UTC
        /// instant falls outside the years 1 to 9999, which that form cannot hold.
        package var utcText: String? {
            let seconds = ((RFC3339.days(from: date) * 24 + hour) * 60 + minute) * 60 + second - (offsetSeconds ?? 0)
            let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
            // Integer division truncates toward zero; an instant before 1970 needs the floor instead.
            let (day, time) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
            let utc = RFC3339.date(fromDays: day)
            guard (1...9999).contains(utc.year) else { return nil }
            return utc.text + "T" + RFC3339.digits(time / 3600, 2) + ":" + RFC3339.digits(time / 60 % 60, 2) + ":"
                + RFC3339.digits(time % 60, 2) + "." + RFC3339.digits(microsecond / 1000, 3) + "Z"
        }
    }

    // MARK: - Parsing

    /// A date that is the whole text (speedate's `Date::parse_bytes_rfc3339`).
    package static func date(_ bytes: [UInt8]) throws(ParseError) -> Date {
        let date = try datePrefix(bytes)
        guard bytes.count == 10 else { throw .extraCharacters }
        return date
    }

    /// A date-time that is the whole text (speedate's `DateTime::parse_bytes_rfc3339_with_config`).
    package static func dateTime(_ bytes: [UInt8]) throws(ParseError) -> DateTime {
        var dateTime = DateTime(date: try datePrefix(bytes))
        guard bytes.count > 10, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " "), UInt8(ascii: "_")].contains(bytes[10]) else {
            throw .invalidDateTimeSeparator
        }
        var position = try readTime(bytes, from: 11, into: &dateTime)
        dateTime.offsetSeconds = try readOffset(bytes, at: &position)
        guard position == bytes.count else { throw .extraCharacters }
        return dateTime
    }

    /// The date in the first ten bytes, which may be followed by anything (speedate's `Date::parse_bytes_partial`).
    private static func datePrefix(_ bytes: [UInt8]) throws(ParseError) -> Date {
        guard bytes.count >= 10 else { throw .tooShort }
        let year = try number(bytes, 0..<4, else: .invalidYear)
        guard bytes[4] == UInt8(ascii: "-") else { throw .invalidDateSeparator }
        let month = try number(bytes, 5..<7, else: .invalidMonth)
        guard bytes[7] == UInt8(ascii: "-") else { throw .invalidDateSeparator }
        let day = try number(bytes, 8..<10, else: .invalidDay)
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth: Int
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: daysInMonth = 31
        case 4, 6, 9, 11: daysInMonth = 30
        case 2: daysInMonth = isLeapYear ? 29 : 28
        default: throw .monthOutOfRange
        }
        guard (1...daysInMonth).contains(day) else { throw .dayOutOfRange }
        return Date(year: year, month: month, day: day)
    }

    /// `HH:MM`, then optionally `:SS` and a fraction (speedate's `PureTime::parse`); returns where it stopped.
    private static func readTime(_ bytes: [UInt8], from start: Int, into dateTime: inout DateTime) throws(ParseError) -> Int {
        guard bytes.count - start >= 5 else { throw .tooShort }
        dateTime.hour = try number(bytes, start..<start + 2, else: .invalidHour)
        guard bytes[start + 2] == UInt8(ascii: ":") else { throw .invalidTimeSeparator }
        dateTime.minute = try number(bytes, start + 3..<start + 5, else: .invalidMinute)
        // speedate reads all four digits before it checks either range.
        guard dateTime.hour <= 23 else { throw .hourOutOfRange }
        guard dateTime.minute <= 59 else { throw .minuteOutOfRange }
        guard byte(bytes, start + 5) == UInt8(ascii: ":") else { return start + 5 }
        dateTime.second = try number(bytes, start + 6..<start + 8, else: .invalidSecond)
        guard dateTime.second <= 59 else { throw .secondOutOfRange }
        var position = start + 8
        guard let separator = byte(bytes, position), separator == UInt8(ascii: ".") || separator == UInt8(ascii: ",") else {
            return position
        }
        position += 1
        var digitCount = 0
        while let digit = byte(bytes, position), isDigit(digit) {
            if digitCount < 6 { dateTime.microsecond = dateTime.microsecond * 10 + Int(digit - UInt8(ascii: "0")) }
            digitCount += 1
            position += 1
        }
        guard digitCount > 0 else { throw .secondFractionMissing }
        for _ in min(digitCount, 6)..<6 { dateTime.microsecond *= 10 }
        return position
    }

    /// `Z`, `z`, `±HH:MM` or `±HHMM` at `position`, if anything is there (speedate's `Time::parse_bytes_offset`);
    /// moves `position` past it.
    private static func readOffset(_ bytes: [UInt8], at position: inout Int) throws(ParseError) -> Int? {
        guard let marker = byte(bytes, position) else { return nil }
        position += 1
        let sign: Int
        switch marker {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"): return 0
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        case 0xE2:  // U+2212 MINUS SIGN is E2 88 92 in UTF-8
            guard byte(bytes, position) == 0x88, byte(bytes, position + 1) == 0x92 else { throw .invalidTimezoneSign }
            position += 2
            sign = -1
        default: throw .invalidTimezoneSign
        }
        let hours = try number(bytes, position..<position + 2, else: .invalidTimezoneHour)
        // The colon is optional, but two minute digits are not.
        if byte(bytes, position + 2) == UInt8(ascii: ":") {
            position += 3
        } else if let digit = byte(bytes, position + 2), isDigit(digit) {
            position += 2
        } else {
            throw .invalidTimezoneMinute
        }
        let minutes = try number(bytes, position..<position + 2, else: .invalidTimezoneMinute)
        position += 2
        guard minutes < 60 else { throw .timezoneMinuteOutOfRange }
        let offset = sign * (hours * 3600 + minutes * 60)
        // Python's timezones must be strictly within a day.
        guard abs(offset) < 86_400 else { throw .timezoneOutOfRange }
        return offset
    }

    // MARK: - Not public

    /// The decimal number in `range`, every byte of which must be an ASCII digit (a missing byte counts as a
    /// wrong one, as in speedate's `get_digit!`).
    private static func number(_ bytes: [UInt8], _ range: Range<Int>, else error: ParseError) throws(ParseError) -> Int {
        var value = 0
        for index in range {
            guard let digit = byte(bytes, index), isDigit(digit) else { throw error }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func byte(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Days from 1970-01-01 to `date` in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    static func days(from date: Date) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func date(fromDays days: Int) -> Date {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return Date(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}
