//! Calendar arithmetic: epoch days/millis <-> civil fields.
//!
//! Two calendars, as Java has them:
//! - **proleptic Gregorian** (`java.time`): `CAST`, `DateTimeFormatter`, Flink's
//!   `TIMESTAMP` printing;
//! - **Julian/Gregorian hybrid** (`java.util.GregorianCalendar`, switching on
//!   1582-10-15): `SimpleDateFormat`, hence `FROM_UNIXTIME`, `UNIX_TIMESTAMP(string)`,
//!   `DATE_FORMAT(string, ..)`. The two agree from 1582-10-15 on.
//!
//! All functions are total: out-of-range inputs give garbage-in/garbage-out values,
//! never a panic (i64 arithmetic with wrapping or saturation where it could overflow).

pub(crate) const MILLIS_PER_DAY: i64 = 86_400_000;

/// 1582-10-15, the first Gregorian day of `GregorianCalendar`, as epoch days.
pub(crate) const GREGORIAN_CUTOVER_DAY: i64 = -141_427;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12, any day: days
/// past the month's end roll over).
pub(crate) fn days_from_civil(y: i64, m: u32, d: i64) -> i64 {
    // Howard Hinnant's algorithm, with the day added linearly.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.saturating_mul(146_097)
        .saturating_add(doe - 719_468)
        .saturating_add(d - 1)
}

/// Proleptic Gregorian (year, month 1..=12, day 1..=31) of an epoch day.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era.saturating_mul(400);
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a Julian calendar date (month 1..=12, day rolls over).
pub(crate) fn days_from_julian(y: i64, m: u32, d: i64) -> i64 {
    let m = i64::from(m);
    let a = (14 - m) / 12;
    let y = y + 4800 - a;
    let m = m + 12 * a - 3;
    // Julian day number of the 1st of the month
    let jdn = 1 + (153 * m + 2) / 5 + y.saturating_mul(365) + y.div_euclid(4) - 32_083;
    jdn.saturating_add(d - 1) - 2_440_588
}

/// Julian calendar (year, month, day) of an epoch day.
pub(crate) fn julian_from_days(days: i64) -> (i64, u32, u32) {
    let jdn = days.saturating_add(2_440_588);
    let c = jdn + 32_082;
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = (e - (153 * m + 2).div_euclid(5) + 1) as u32;
    let month = (m + 3 - 12 * (m / 10)) as u32;
    let year = d - 4800 + m / 10;
    (year, month, day)
}

/// `GregorianCalendar` fields of an epoch day (Julian before 1582-10-15).
pub(crate) fn hybrid_from_days(days: i64) -> (i64, u32, u32) {
    if days >= GREGORIAN_CUTOVER_DAY {
        civil_from_days(days)
    } else {
        julian_from_days(days)
    }
}

/// Epoch day of `GregorianCalendar` fields (lenient day roll-over; Julian rules when
/// the Gregorian reading falls before the cut-over).
pub(crate) fn hybrid_to_days(y: i64, m: u32, d: i64) -> i64 {
    let g = days_from_civil(y, m, d);
    if g >= GREGORIAN_CUTOVER_DAY {
        g
    } else {
        days_from_julian(y, m, d)
    }
}

/// Day of week of an epoch day: 1 = Monday .. 7 = Sunday (ISO).
pub(crate) fn iso_dow(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    ((days + 3).rem_euclid(7) + 1) as u32
}

/// Whether `y` is a leap year (proleptic Gregorian).
pub(crate) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days in month `m` of year `y` (proleptic Gregorian).
pub(crate) fn month_len(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits epoch millis into (epoch day, millis of day), flooring.
pub(crate) fn split_millis(ms: i64) -> (i64, i64) {
    (ms.div_euclid(MILLIS_PER_DAY), ms.rem_euclid(MILLIS_PER_DAY))
}

/// Date and time fields of an instant (or local date-time), ready for formatting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fields {
    pub days: i64,
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
}

impl Fields {
    /// Proleptic Gregorian fields of epoch millis.
    pub(crate) fn proleptic(ms: i64) -> Fields {
        let (days, tod) = split_millis(ms);
        let (year, month, day) = civil_from_days(days);
        Fields::with_time(days, year, month, day, tod)
    }

    /// `GregorianCalendar` fields of epoch millis.
    pub(crate) fn hybrid(ms: i64) -> Fields {
        let (days, tod) = split_millis(ms);
        let (year, month, day) = hybrid_from_days(days);
        Fields::with_time(days, year, month, day, tod)
    }

    fn with_time(days: i64, year: i64, month: u32, day: u32, tod: i64) -> Fields {
        let tod = tod as u32;
        Fields {
            days,
            year,
            month,
            day,
            hour: tod / 3_600_000,
            minute: tod / 60_000 % 60,
            second: tod / 1000 % 60,
            millis: tod % 1000,
        }
    }

    /// 1 = Monday .. 7 = Sunday.
    pub(crate) fn iso_dow(&self) -> u32 {
        iso_dow(self.days)
    }

    /// 1-based day of the year, in this calendar's reckoning of January 1st.
    pub(crate) fn day_of_year(&self, hybrid: bool) -> i64 {
        self.days - self.jan1(self.year, hybrid) + 1
    }

    fn jan1(&self, year: i64, hybrid: bool) -> i64 {
        if hybrid {
            hybrid_to_days(year, 1, 1)
        } else {
            days_from_civil(year, 1, 1)
        }
    }

    /// Week of year and week-based year with US rules (weeks start on Sunday; week 1
    /// is the week holding January 1st), as `SimpleDateFormat` `w`/`Y` and
    /// `DateTimeFormatter` `w`/`Y` in the US locale compute them.
    pub(crate) fn us_week(&self, hybrid: bool) -> (i64, i64) {
        // Sunday-based day of week: 0 = Sunday.
        let sun_dow = |d: i64| (d + 4).rem_euclid(7);
        let week_start = self.days - sun_dow(self.days);
        let next_jan1 = self.jan1(self.year + 1, hybrid);
        if week_start + 6 >= next_jan1 {
            return (1, self.year + 1);
        }
        let jan1 = self.jan1(self.year, hybrid);
        let week1_start = jan1 - sun_dow(jan1);
        ((self.days - week1_start).div_euclid(7) + 1, self.year)
    }

    /// Week of month with US rules (`W`).
    pub(crate) fn us_week_of_month(&self) -> i64 {
        let first = self.days - i64::from(self.day) + 1;
        let sun_dow = (first + 4).rem_euclid(7);
        (i64::from(self.day) - 1 + sun_dow).div_euclid(7) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, i64::from(dd)), d);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 3, 2), 19784);
        assert_eq!(days_from_civil(2024, 2, 30), days_from_civil(2024, 3, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(0, 1, 1), -719_528);
        assert_eq!(days_from_civil(1582, 10, 15), GREGORIAN_CUTOVER_DAY);
    }

    #[test]
    fn julian_round_trip() {
        assert_eq!(days_from_julian(1582, 10, 5), GREGORIAN_CUTOVER_DAY);
        assert_eq!(julian_from_days(GREGORIAN_CUTOVER_DAY - 1), (1582, 10, 4));
        for d in (-800_000..0).step_by(991) {
            let (y, m, dd) = julian_from_days(d);
            assert_eq!(days_from_julian(y, m, i64::from(dd)), d, "{y}-{m}-{dd}");
        }
        // Observed on Flink 2.3: FROM_UNIXTIME(-62167219200) = '0001-01-03 00:00:00':
        // proleptic 0000-01-01 is Julian 0000-01-03, year 1 BC.
        assert_eq!(hybrid_from_days(-62_167_219_200 / 86_400), (0, 1, 3));
        assert_eq!(hybrid_from_days(GREGORIAN_CUTOVER_DAY), (1582, 10, 15));
        assert_eq!(hybrid_from_days(GREGORIAN_CUTOVER_DAY - 1), (1582, 10, 4));
    }

    #[test]
    fn weeks() {
        // 2024-12-30 (Mon) is week 1 of 2025, week 5 of December (US rules).
        let f = Fields::proleptic(days_from_civil(2024, 12, 30) * MILLIS_PER_DAY);
        assert_eq!(f.us_week(false), (1, 2025));
        assert_eq!(f.us_week_of_month(), 5);
        let f = Fields::proleptic(days_from_civil(2021, 1, 3) * MILLIS_PER_DAY);
        assert_eq!(f.us_week(false), (2, 2021));
        assert_eq!(f.us_week_of_month(), 2);
        let f = Fields::proleptic(days_from_civil(2024, 7, 4) * MILLIS_PER_DAY);
        assert_eq!(f.us_week(false), (27, 2024));
        assert_eq!(f.us_week_of_month(), 1);
        assert_eq!(f.iso_dow(), 4);
        assert_eq!(f.day_of_year(false), 186);
    }
}
