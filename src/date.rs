//! Calendar dates, shared by every stage: the one [`Day`] type, the calendar's rules, and
//! the readers of a date as people write it — one field's value ([`parse`]: a form, a
//! spreadsheet cell, a command-line option) and every date written in full in a text
//! ([`scan`]). The readers of timing *expressions* ("9月底前", "三季度末", "每月10日前") live
//! in [`crate::extract::timing`] and build on these.
//!
//! Written here rather than taken from `jiff` (which the issue suggested): the project needs
//! only civil dates of the proleptic Gregorian calendar, day counts and two Chinese
//! spellings — no times, no time zones (today is China's, UTC+8, all year) — about 60 lines
//! with their tests, against a dependency with its own time-zone machinery.

/// A calendar date (proleptic Gregorian), years 1000–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Year, e.g. 2022.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
}

/// Days in a month of the Gregorian calendar (31 for a month out of range).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

impl Day {
    /// The date if the calendar has it (and its year is 1000–9999), else `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Day { year, month, day })
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    pub fn from_days(z: i64) -> Day {
        let (year, month, day) = civil_from_days(z);
        Day { year, month, day }
    }

    /// Today in China (UTC+8), from the system clock.
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Day::from_days((secs + 8 * 3600).div_euclid(86_400))
    }

    /// The quarter, 1–4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// As documents print it: `2022年6月30日`.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// A date as people type it ([`parse`]), when it is one the calendar has.
    pub fn parse(s: &str) -> Option<Day> {
        match parse(s) {
            Parsed::Ok(d) => Some(d),
            _ => None,
        }
    }
}

/// What one value written as a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    /// A real date.
    Ok(Day),
    /// Written as a date, but the calendar has no such day (year, month, day as written):
    /// 2022年2月30日.
    Impossible(i64, i64, i64),
    /// Not written as a date.
    NotADate,
}

/// Read one value written as a date: `2022-03-05`, `2022/3/5`, `2022.3.5`, `2022年3月5日`
/// (日 or 号, or neither), with full-width digits and spaces allowed. The year has four
/// digits; one kind of separator throughout.
pub fn parse(s: &str) -> Parsed {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '／' => '/',
            '．' => '.',
            _ => c,
        })
        .collect();
    let parts: Vec<&str> = if s.contains('年') {
        let rest = s
            .strip_suffix('日')
            .or_else(|| s.strip_suffix('号'))
            .unwrap_or(&s);
        let Some((y, md)) = rest.split_once('年') else {
            return Parsed::NotADate;
        };
        let Some((m, d)) = md.split_once('月') else {
            return Parsed::NotADate;
        };
        vec![y, m, d]
    } else {
        let Some(sep) = ['-', '/', '.'].into_iter().find(|&c| s.contains(c)) else {
            return Parsed::NotADate;
        };
        s.split(sep).collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
        || parts[0].len() != 4
    {
        return Parsed::NotADate;
    }
    let n: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = n[..] else {
        return Parsed::NotADate;
    };
    match (i32::try_from(y), u32::try_from(m), u32::try_from(d)) {
        (Ok(yy), Ok(mm), Ok(dd)) => match Day::new(yy, mm, dd) {
            Some(day) => Parsed::Ok(day),
            None => Parsed::Impossible(y, m, d),
        },
        _ => Parsed::Impossible(y, m, d),
    }
}

/// The dates written in full in a text (`2022年6月30日`, `2022-06-30`, `2022/6/30`,
/// `2022.6.30`), in order: each the day, or, when the calendar has no such day, the text as
/// written ("2022年2月30日").
pub fn scan(text: &str) -> Vec<Result<Day, String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // Three runs of digits separated by one separator each (年月 or - / .), 日 optional.
        let mut parts: Vec<String> = Vec::new();
        let mut j = i;
        let mut seps = Vec::new();
        while parts.len() < 3 {
            let start = j;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j == start {
                break;
            }
            parts.push(chars[start..j].iter().collect());
            if parts.len() < 3 {
                match chars.get(j) {
                    Some(&c) if matches!(c, '年' | '月' | '-' | '/' | '.') => {
                        seps.push(c);
                        j += 1;
                    }
                    _ => break,
                }
            }
        }
        let consistent = matches!(
            seps.as_slice(),
            ['年', '月'] | ['-', '-'] | ['/', '/'] | ['.', '.']
        );
        if parts.len() == 3 && parts[0].len() == 4 && consistent {
            if let (Ok(y), Ok(m), Ok(d)) = (
                parts[0].parse::<i32>(),
                parts[1].parse::<u32>(),
                parts[2].parse::<u32>(),
            ) {
                match Day::new(y, m, d) {
                    Some(day) => {
                        out.push(Ok(day));
                        i = j;
                        continue;
                    }
                    None => {
                        let end = if seps[0] == '年' && chars.get(j) == Some(&'日') {
                            j + 1
                        } else {
                            j
                        };
                        out.push(Err(chars[i..end].iter().collect()));
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_in_every_form_people_write() {
        let want = Parsed::Ok(Day {
            year: 2022,
            month: 3,
            day: 5,
        });
        for s in [
            "2022-03-05",
            "2022-3-5",
            "2022/3/5",
            "2022.3.5",
            "2022年3月5日",
            "2022年3月5号",
            "2022年3月5",
            " ２０２２年３月５日 ",
            " 2022 年 03 月 05 日",
            "2022－03－05",
        ] {
            assert_eq!(parse(s), want, "{s}");
        }
        assert_eq!(parse("2022年2月30日"), Parsed::Impossible(2022, 2, 30));
        assert_eq!(parse("2022-13-01"), Parsed::Impossible(2022, 13, 1));
        assert_eq!(parse("0999-01-01"), Parsed::Impossible(999, 1, 1));
        for s in [
            "",
            "三月五日",
            "22-3-5",
            "2022-3/5",
            "2022年3月",
            "2022-03-05-01",
        ] {
            assert_eq!(parse(s), Parsed::NotADate, "{s}");
        }
    }

    #[test]
    fn day_counts_round_trip_across_leap_years() {
        assert_eq!(Day::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Day::new(2000, 3, 1).unwrap().days(), 11_017);
        for z in [-1, 0, 59, 11_016, 19_000, 20_513, 2_932_896] {
            let d = Day::from_days(z);
            assert_eq!(d.days(), z, "{d:?}");
        }
        assert_eq!(
            Day::new(2024, 2, 29).map(Day::iso).as_deref(),
            Some("2024-02-29")
        );
        assert!(Day::new(2023, 2, 29).is_none() && Day::new(1900, 2, 29).is_none());
        assert_eq!(Day::new(2022, 8, 1).unwrap().quarter(), 3);
    }

    #[test]
    fn every_date_of_a_text_and_the_impossible_ones_as_written() {
        let found = scan("9月底前；2022年6月30日、2022-07-01，2022年2月30日前，编号2022.1。");
        assert_eq!(
            found,
            [
                Ok(Day::new(2022, 6, 30).unwrap()),
                Ok(Day::new(2022, 7, 1).unwrap()),
                Err("2022年2月30日".to_string()),
            ]
        );
    }
}
