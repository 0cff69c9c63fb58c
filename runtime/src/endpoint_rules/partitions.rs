//! AWS partitions: which DNS suffixes and features a region has (`aws.partition`).
//!
//! The built-in data is `runtime/data/partitions.json` (see the README next to it for its
//! source); users can load AWS's own, newer file with [`Partitions::from_json`].

use super::error::ParseError;
use super::pattern::Pattern;
use super::value::Value;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

const WHAT: &str = "partition data";

/// The built-in partition data, AWS's `partitions.json` format.
const BUILT_IN_JSON: &str = include_str!("../../data/partitions.json");

/// The `outputs` every partition must have, with their JSON types.
const REQUIRED_OUTPUTS: [(&str, bool); 5] = [
    ("name", false),
    ("dnsSuffix", false),
    ("dualStackDnsSuffix", false),
    ("supportsFIPS", true),
    ("supportsDualStack", true),
];

/// A set of AWS partitions, as used by the rules function `aws.partition`. Cheap to clone.
///
/// A region resolves to the partition that lists it by name; else to the first partition whose
/// `regionRegex` it matches; else to the `aws` partition. The result is the partition's
/// `outputs` (`name`, `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
/// `implicitGlobalRegion`, ...), with any override the region's own entry gives.
#[derive(Clone, Debug)]
pub struct Partitions {
    partitions: Arc<[Partition]>,
}

#[derive(Debug)]
struct Partition {
    id: String,
    region_regex: Pattern,
    /// Each known region's outputs: the partition's, with the region's overrides applied.
    regions: BTreeMap<String, Value>,
    outputs: Value,
}

impl Partitions {
    /// The partitions built into this runtime: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`,
    /// `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc` (parsed once per process).
    pub fn builtin() -> Partitions {
        static BUILT_IN: OnceLock<Partitions> = OnceLock::new();
        BUILT_IN
            .get_or_init(|| {
                // The file is part of the crate and a unit test parses it; should it ever be
                // broken, resolution fails with "no rule matched" rather than panicking.
                Partitions::from_json(BUILT_IN_JSON).unwrap_or_else(|_| Partitions {
                    partitions: Arc::from(Vec::new()),
                })
            })
            .clone()
    }

    /// Parses partition data in AWS's `partitions.json` format:
    /// `{"partitions": [{"id", "regionRegex", "regions": {name: {...}}, "outputs": {...}}]}`.
    pub fn from_json(json: &str) -> Result<Partitions, ParseError> {
        let value: Json = serde_json::from_str(json)
            .map_err(|e| ParseError::new(WHAT, "", format!("not JSON: {e}")))?;
        Self::from_json_value(&value)
    }

    /// Like [`from_json`](Self::from_json), from parsed JSON.
    pub fn from_json_value(json: &Json) -> Result<Partitions, ParseError> {
        let items = json
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| ParseError::new(WHAT, "partitions", "missing or not an array"))?;
        if items.is_empty() {
            return Err(ParseError::new(WHAT, "partitions", "no partitions"));
        }
        let partitions = items
            .iter()
            .enumerate()
            .map(|(index, item)| partition(item, &format!("partitions[{index}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Partitions {
            partitions: Arc::from(partitions),
        })
    }

    /// The partition ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }

    /// The outputs `aws.partition(region)` returns, as a record; `None` only if the region
    /// matches no partition and there is no `aws` partition to fall back to.
    pub fn resolve(&self, region: &str) -> Option<Value> {
        let partitions = self.partitions.iter();
        partitions
            .clone()
            .find_map(|p| p.regions.get(region))
            .or_else(|| {
                partitions
                    .clone()
                    .find(|p| p.region_regex.is_match(region))
                    .map(|p| &p.outputs)
            })
            .or_else(|| {
                partitions
                    .clone()
                    .find(|p| p.id == "aws")
                    .map(|p| &p.outputs)
            })
            .cloned()
    }

    /// The `regionRegex` of partition `id`, as written.
    pub fn region_regex(&self, id: &str) -> Option<&str> {
        self.partitions
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.region_regex.as_str())
    }
}

impl Default for Partitions {
    /// The [built-in](Self::builtin) partitions.
    fn default() -> Self {
        Self::builtin()
    }
}

fn partition(json: &Json, path: &str) -> Result<Partition, ParseError> {
    let error =
        |field: &str, reason: String| ParseError::new(WHAT, format!("{path}.{field}"), reason);
    let id = json
        .get("id")
        .and_then(Json::as_str)
        .ok_or_else(|| error("id", "missing or not a string".to_owned()))?
        .to_owned();
    let regex = json
        .get("regionRegex")
        .and_then(Json::as_str)
        .ok_or_else(|| error("regionRegex", "missing or not a string".to_owned()))?;
    let region_regex = Pattern::new(regex).map_err(|e| error("regionRegex", e.to_string()))?;

    let outputs = json
        .get("outputs")
        .ok_or_else(|| error("outputs", "missing".to_owned()))?;
    let outputs = match Value::from_json(outputs).map_err(|e| error("outputs", e))? {
        Some(Value::Object(fields)) => fields,
        _ => return Err(error("outputs", "expected an object".to_owned())),
    };
    for (name, is_bool) in REQUIRED_OUTPUTS {
        let ok = match outputs.get(name) {
            Some(Value::Bool(_)) => is_bool,
            Some(Value::String(_)) => !is_bool,
            _ => false,
        };
        if !ok {
            let expected = if is_bool { "a boolean" } else { "a string" };
            return Err(error(
                &format!("outputs.{name}"),
                format!("missing or not {expected}"),
            ));
        }
    }

    let mut regions = BTreeMap::new();
    if let Some(json) = json.get("regions") {
        let entries = json
            .as_object()
            .ok_or_else(|| error("regions", "expected an object".to_owned()))?;
        for (name, entry) in entries {
            let overrides =
                match Value::from_json(entry).map_err(|e| error(&format!("regions.{name}"), e))? {
                    Some(Value::Object(fields)) => fields,
                    None => BTreeMap::new(),
                    Some(_) => {
                        return Err(error(
                            &format!("regions.{name}"),
                            "expected an object".to_owned(),
                        ))
                    }
                };
            let mut merged = outputs.clone();
            for (key, value) in overrides {
                // `description` is for people, not an output.
                if key != "description" {
                    merged.insert(key, value);
                }
            }
            regions.insert(name.clone(), Value::Object(merged));
        }
    }
    Ok(Partition {
        id,
        region_regex,
        regions,
        outputs: Value::Object(outputs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(partitions: &Partitions, region: &str, name: &str) -> Value {
        partitions.resolve(region).unwrap().as_object().unwrap()[name].clone()
    }

    #[test]
    fn built_in_data_parses_and_has_every_partition() {
        let parsed = Partitions::from_json(BUILT_IN_JSON).expect("runtime/data/partitions.json");
        let ids: Vec<&str> = parsed.ids().collect();
        for id in [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-iso-e",
            "aws-iso-f",
            "aws-eusc",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        assert_eq!(Partitions::builtin().ids().count(), ids.len());
    }

    #[test]
    fn regions_resolve_to_their_partition() {
        let p = Partitions::builtin();
        let cases = [
            ("us-east-1", "aws", "amazonaws.com", "api.aws"),
            ("mx-central-1", "aws", "amazonaws.com", "api.aws"),
            ("eu-west-9", "aws", "amazonaws.com", "api.aws"),
            (
                "cn-north-1",
                "aws-cn",
                "amazonaws.com.cn",
                "api.amazonwebservices.com.cn",
            ),
            (
                "cn-south-7",
                "aws-cn",
                "amazonaws.com.cn",
                "api.amazonwebservices.com.cn",
            ),
            ("us-gov-west-1", "aws-us-gov", "amazonaws.com", "api.aws"),
            ("us-gov-central-2", "aws-us-gov", "amazonaws.com", "api.aws"),
            ("us-iso-east-1", "aws-iso", "c2s.ic.gov", "api.aws.ic.gov"),
            (
                "us-isob-east-1",
                "aws-iso-b",
                "sc2s.sgov.gov",
                "api.aws.scloud",
            ),
            (
                "eu-isoe-west-1",
                "aws-iso-e",
                "cloud.adc-e.uk",
                "api.cloud-aws.adc-e.uk",
            ),
            (
                "us-isof-south-1",
                "aws-iso-f",
                "csp.hci.ic.gov",
                "api.aws.hci.ic.gov",
            ),
            (
                "eusc-de-east-1",
                "aws-eusc",
                "amazonaws.eu",
                "api.amazonwebservices.eu",
            ),
            (
                "eusc-de-west-2",
                "aws-eusc",
                "amazonaws.eu",
                "api.amazonwebservices.eu",
            ),
            ("aws-global", "aws", "amazonaws.com", "api.aws"),
            // Unknown to every pattern: the aws partition.
            ("local", "aws", "amazonaws.com", "api.aws"),
            ("xx-nowhere-1", "aws", "amazonaws.com", "api.aws"),
        ];
        for (region, name, dns, dual) in cases {
            assert_eq!(attr(&p, region, "name"), Value::from(name), "{region}");
            assert_eq!(attr(&p, region, "dnsSuffix"), Value::from(dns), "{region}");
            assert_eq!(
                attr(&p, region, "dualStackDnsSuffix"),
                Value::from(dual),
                "{region}"
            );
            assert_eq!(
                attr(&p, region, "supportsFIPS"),
                Value::Bool(true),
                "{region}"
            );
            assert_eq!(
                attr(&p, region, "supportsDualStack"),
                Value::Bool(true),
                "{region}"
            );
        }
        assert_eq!(
            attr(&p, "us-gov-east-1", "implicitGlobalRegion"),
            Value::from("us-gov-west-1")
        );
    }

    #[test]
    fn region_entries_override_outputs_and_order_matters() {
        let json = r#"{"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"us-east-1": {"description": "x", "supportsFIPS": false}, "special": {}},
             "outputs": {"name": "aws", "dnsSuffix": "a.com", "dualStackDnsSuffix": "api.a",
                         "supportsFIPS": true, "supportsDualStack": true}},
            {"id": "other", "regionRegex": "^us\\-",
             "regions": {"other-1": {}},
             "outputs": {"name": "other", "dnsSuffix": "o.com", "dualStackDnsSuffix": "o.com",
                         "supportsFIPS": false, "supportsDualStack": false}}
        ]}"#;
        let p = Partitions::from_json(json).unwrap();
        assert_eq!(attr(&p, "us-east-1", "supportsFIPS"), Value::Bool(false));
        assert!(!p
            .resolve("us-east-1")
            .unwrap()
            .as_object()
            .unwrap()
            .contains_key("description"));
        assert_eq!(attr(&p, "us-west-2", "supportsFIPS"), Value::Bool(true));
        assert_eq!(attr(&p, "other-1", "name"), Value::from("other"));
        // Both patterns match "us-x-1"; the first partition wins. "us-" alone: only "other".
        assert_eq!(attr(&p, "us-x-1", "name"), Value::from("aws"));
        assert_eq!(attr(&p, "us-", "name"), Value::from("other"));
        assert_eq!(attr(&p, "special", "dnsSuffix"), Value::from("a.com"));
        assert_eq!(p.region_regex("other"), Some("^us\\-"));
    }

    #[test]
    fn no_aws_partition_means_unknown_regions_resolve_to_nothing() {
        let json = r#"{"partitions": [{"id": "x", "regionRegex": "^x$", "outputs": {"name": "x",
            "dnsSuffix": "x", "dualStackDnsSuffix": "x", "supportsFIPS": true, "supportsDualStack": true}}]}"#;
        let p = Partitions::from_json(json).unwrap();
        assert!(p.resolve("x").is_some());
        assert!(p.resolve("y").is_none());
    }

    #[test]
    fn bad_data_is_rejected_with_a_path() {
        let output = r#""outputs": {"name": "x", "dnsSuffix": "x", "dualStackDnsSuffix": "x", "supportsFIPS": true, "supportsDualStack": true}"#;
        let cases = [
            ("not json".to_owned(), "not JSON"),
            ("{}".to_owned(), "partitions: missing"),
            (r#"{"partitions": []}"#.to_owned(), "no partitions"),
            (format!(r#"{{"partitions": [{{"regionRegex": "x", {output}}}]}}"#), "partitions[0].id"),
            (format!(r#"{{"partitions": [{{"id": "x", "regionRegex": "(", {output}}}]}}"#), "partitions[0].regionRegex: unsupported or invalid pattern"),
            (r#"{"partitions": [{"id": "x", "regionRegex": "x", "outputs": {"name": "x"}}]}"#.to_owned(), "partitions[0].outputs.dnsSuffix"),
            (
                r#"{"partitions": [{"id": "x", "regionRegex": "x", "outputs": {"name": "x", "dnsSuffix": "x", "dualStackDnsSuffix": "x", "supportsFIPS": "yes", "supportsDualStack": true}}]}"#.to_owned(),
                "outputs.supportsFIPS: missing or not a boolean",
            ),
            (format!(r#"{{"partitions": [{{"id": "x", "regionRegex": "x", "regions": {{"r": 1}}, {output}}}]}}"#), "regions.r"),
        ];
        for (json, expected) in cases {
            let error = Partitions::from_json(&json).unwrap_err().to_string();
            assert!(error.contains(expected), "{json}: {error}");
            assert!(error.starts_with("invalid partition data"), "{error}");
        }
    }
}
