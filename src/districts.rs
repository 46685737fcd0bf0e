//! The official list of all 401 Kreise (Destatis, 31.12.2018, CC BY 4.0) and the
//! resolution of what contributors write (`"03153"`, `Goslar`, `Landkreis Coburg`)
//! to one Kreis.

use std::collections::HashMap;
use std::sync::LazyLock;

const CSV: &str = include_str!("../data/kreise-2018.csv");

/// One Kreis with its size figures.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct District {
    pub ags: String,
    /// `Landkreis`, `Kreis`, `Kreisfreie Stadt`, `Stadtkreis`, `Regionalverband`.
    pub kind: String,
    /// Official name, e.g. `Kiel, Landeshauptstadt`.
    pub name: String,
    /// Name without the official suffix, e.g. `Kiel`.
    pub short_name: String,
    pub area_km2: f64,
    pub population: u64,
    pub density: f64,
}

impl District {
    /// The two-digit Land code from the key.
    pub fn land_code(&self) -> &str {
        &self.ags[..2]
    }

    pub fn land_name(&self) -> &'static str {
        land_name(self.land_code()).unwrap_or("?")
    }

    /// A name that tells Landkreis and city apart: `Landkreis Coburg`, `Coburg (Stadt)`.
    pub fn display_name(&self) -> String {
        let sn = &self.short_name;
        let lower = sn.to_lowercase();
        match self.kind.as_str() {
            "Kreisfreie Stadt" | "Stadtkreis" => format!("{sn} (Stadt)"),
            _ if lower.ends_with("kreis")
                || lower.starts_with("region")
                || lower.starts_with("städteregion")
                || self.kind == "Regionalverband" =>
            {
                sn.clone()
            }
            kind => format!("{kind} {sn}"),
        }
    }
}

const LANDS: [(&str, &str); 16] = [
    ("01", "Schleswig-Holstein"),
    ("02", "Hamburg"),
    ("03", "Niedersachsen"),
    ("04", "Bremen"),
    ("05", "Nordrhein-Westfalen"),
    ("06", "Hessen"),
    ("07", "Rheinland-Pfalz"),
    ("08", "Baden-Württemberg"),
    ("09", "Bayern"),
    ("10", "Saarland"),
    ("11", "Berlin"),
    ("12", "Brandenburg"),
    ("13", "Mecklenburg-Vorpommern"),
    ("14", "Sachsen"),
    ("15", "Sachsen-Anhalt"),
    ("16", "Thüringen"),
];

pub fn land_name(code: &str) -> Option<&'static str> {
    LANDS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

pub fn lands() -> &'static [(&'static str, &'static str)] {
    &LANDS
}

/// The result of resolving what a contributor wrote.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    Found(&'a District),
    /// Several Kreise carry this name.
    Ambiguous(Vec<&'a District>),
    /// Nothing matches; the closest name if one is near.
    Unknown {
        suggestion: Option<&'a District>,
    },
}

/// The table of all Kreise with lookup by key and by name.
#[derive(Debug)]
pub struct Districts {
    list: Vec<District>,
    by_ags: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

static ALL: LazyLock<Districts> =
    LazyLock::new(|| Districts::parse(CSV).expect("built-in district list is valid"));

impl Districts {
    /// The built-in official list.
    pub fn official() -> &'static Districts {
        &ALL
    }

    /// Parses the `;`-separated list (header: AGS;type;name;NUTS3;area_km2;population;…).
    pub fn parse(src: &str) -> Result<Districts, csv::Error> {
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(rename = "AGS")]
            ags: String,
            #[serde(rename = "type")]
            kind: String,
            name: String,
            area_km2: f64,
            population: u64,
            population_per_km2: f64,
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(src.as_bytes());
        let mut list = Vec::new();
        for row in reader.deserialize::<Row>() {
            let r = row?;
            let short_name = r
                .name
                .split(',')
                .next()
                .unwrap_or(&r.name)
                .trim()
                .to_string();
            list.push(District {
                ags: r.ags,
                kind: r.kind,
                name: r.name,
                short_name,
                area_km2: r.area_km2,
                population: r.population,
                density: r.population_per_km2,
            });
        }
        let mut by_ags = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in list.iter().enumerate() {
            by_ags.insert(d.ags.clone(), i);
            let mut names = vec![
                normalize(&d.name),
                normalize(&d.short_name),
                normalize(&format!("{} {}", d.kind, d.short_name)),
            ];
            if matches!(d.kind.as_str(), "Kreisfreie Stadt" | "Stadtkreis") {
                names.push(normalize(&format!("Stadt {}", d.short_name)));
            }
            names.sort();
            names.dedup();
            for n in names {
                by_name.entry(n).or_default().push(i);
            }
        }
        Ok(Districts {
            list,
            by_ags,
            by_name,
        })
    }

    pub fn all(&self) -> &[District] {
        &self.list
    }

    pub fn by_ags(&self, ags: &str) -> Option<&District> {
        self.by_ags.get(ags).map(|&i| &self.list[i])
    }

    /// Resolves a key (`"03153"`) or a name (`Goslar`, `Landkreis Coburg`, `Kiel`).
    pub fn resolve(&self, value: &str) -> Resolved<'_> {
        let v = value.trim();
        if v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit()) {
            return match self.by_ags(v) {
                Some(d) => Resolved::Found(d),
                None => Resolved::Unknown { suggestion: None },
            };
        }
        let key = normalize(v);
        match self.by_name.get(&key) {
            Some(ids) if ids.len() == 1 => Resolved::Found(&self.list[ids[0]]),
            // The full official name of exactly one Kreis wins over short forms:
            // `München` is the Landkreis, the city is `München, Landeshauptstadt`.
            Some(ids)
                if ids
                    .iter()
                    .filter(|&&i| normalize(&self.list[i].name) == key)
                    .count()
                    == 1 =>
            {
                let i = ids
                    .iter()
                    .find(|&&i| normalize(&self.list[i].name) == key)
                    .copied()
                    .unwrap_or(ids[0]);
                Resolved::Found(&self.list[i])
            }
            Some(ids) => Resolved::Ambiguous(ids.iter().map(|&i| &self.list[i]).collect()),
            None => {
                let names = self.list.iter().map(|d| d.short_name.as_str());
                let suggestion = crate::diagnostic::closest(v, names)
                    .and_then(|n| self.list.iter().find(|d| d.short_name == n));
                Resolved::Unknown { suggestion }
            }
        }
    }
}

/// The form names are compared in: whitespace collapsed, lower case, and ä/ö/ü/ß
/// folded to ae/oe/ue/ss, so `HASSBERGE` and `Luechow-Dannenberg` find their Kreis.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_list_has_all_401_kreise() {
        assert_eq!(Districts::official().all().len(), 401);
    }

    #[test]
    fn resolves_keys_and_unambiguous_names() {
        let d = Districts::official();
        assert!(matches!(d.resolve("03153"), Resolved::Found(x) if x.name == "Goslar"));
        assert!(matches!(d.resolve("goslar"), Resolved::Found(x) if x.ags == "03153"));
        assert!(matches!(d.resolve("Kiel"), Resolved::Found(x) if x.ags == "01002"));
        assert!(matches!(d.resolve("Landkreis Coburg"), Resolved::Found(x) if x.ags == "09473"));
        assert!(matches!(d.resolve("Stadt Coburg"), Resolved::Found(x) if x.ags == "09463"));
    }

    #[test]
    fn an_exact_official_name_wins_over_short_forms() {
        let d = Districts::official();
        assert!(matches!(d.resolve("München"), Resolved::Found(x) if x.ags == "09184"));
        assert!(
            matches!(d.resolve("München, Landeshauptstadt"), Resolved::Found(x) if x.ags == "09162")
        );
        assert!(matches!(d.resolve("Stadt München"), Resolved::Found(x) if x.ags == "09162"));
    }

    #[test]
    fn names_match_in_any_case_and_with_typed_umlauts() {
        let d = Districts::official();
        // Regression (found by the property test): "Haßberge" upper-cased is "HASSBERGE".
        assert!(matches!(d.resolve("HASSBERGE"), Resolved::Found(x) if x.name == "Haßberge"));
        assert!(matches!(d.resolve("Luechow-Dannenberg"), Resolved::Found(x) if x.ags == "03354"));
    }

    #[test]
    fn coburg_is_ambiguous_and_lists_both_keys() {
        match Districts::official().resolve("Coburg") {
            Resolved::Ambiguous(c) => {
                let keys: Vec<_> = c.iter().map(|d| d.ags.as_str()).collect();
                assert_eq!(keys, ["09463", "09473"]);
            }
            other => panic!("expected ambiguous, got {other:?}"),
        }
    }

    #[test]
    fn unknown_name_suggests_the_closest() {
        match Districts::official().resolve("Goslr") {
            Resolved::Unknown {
                suggestion: Some(d),
            } => assert_eq!(d.ags, "03153"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Districts::official().resolve("99999"),
            Resolved::Unknown { suggestion: None }
        ));
    }

    #[test]
    fn land_comes_from_the_first_two_digits() {
        let d = Districts::official().by_ags("15085").unwrap();
        assert_eq!(d.land_name(), "Sachsen-Anhalt");
    }
}
