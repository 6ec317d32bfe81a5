//! The `pattern`s of the OpenAPI document say exactly what the server accepts: each is checked
//! against a statement of the server's rule in Rust (trimming with `str::trim`, counting with
//! `chars().count()`, as the API does) over edge cases and a deterministic random corpus. A pattern
//! stricter than the server makes schema fuzzing see valid requests refused as invalid; one laxer
//! than the server makes it see schema-valid requests rejected.

use regex::Regex;
use serde_json::Value;
use utoipa::PartialSchema;

use crate::{
    AzureCustomersRequest, AzureLogin, CreateApiTokenRequest, CreateCustomer, CreateGroupPolicy,
    DeviceActivation, LoginRequest, UpdateCustomer, UpdateGroupPolicy,
};

fn schema_of<T: PartialSchema>() -> Value {
    serde_json::to_value(T::schema()).expect("a schema serialises")
}

fn property<T: PartialSchema>(field: &str) -> Value {
    schema_of::<T>()["properties"][field].clone()
}

fn pattern<T: PartialSchema>(field: &str) -> Regex {
    let property = property::<T>(field);
    let pattern = property["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{field} has no pattern: {property}"));
    Regex::new(pattern).unwrap_or_else(|error| panic!("{field}: {error}"))
}

/// Every character `str::trim` removes (Unicode White_Space), then characters that look like
/// whitespace but are not, the forbidden ones, and ordinary and astral characters.
const WHITESPACE: &[char] = &[
    '\t', '\n', '\u{0B}', '\u{0C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}',
    '\u{2005}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];
const OTHERS: &[char] = &[
    'a', 'Z', '0', '-', '{', '}', '/', '\\', '+', 'é', 'İ', '\u{FEFF}', '\u{200B}', '\u{180E}',
    '\u{1C}', '\u{0}', '😀',
];

/// A small deterministic generator, so the corpus is the same on every run.
struct Corpus(u64);

impl Corpus {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick(&mut self, chars: &[char]) -> char {
        chars[(self.next() % chars.len() as u64) as usize]
    }

    /// Strings of `core_len` characters with a few whitespace characters around them.
    fn string(&mut self, core_len: usize) -> String {
        let mut text = String::new();
        for _ in 0..self.next() % 3 {
            text.push(self.pick(WHITESPACE));
        }
        for _ in 0..core_len {
            let pool = if self.next().is_multiple_of(4) {
                WHITESPACE
            } else {
                OTHERS
            };
            text.push(self.pick(pool));
        }
        for _ in 0..self.next() % 3 {
            text.push(self.pick(WHITESPACE));
        }
        text
    }
}

/// Checks `regex` against `rule` on the given edge cases and on random strings whose lengths
/// straddle `max_chars`.
fn agrees(
    name: &str,
    regex: &Regex,
    rule: impl Fn(&str) -> bool,
    edge_cases: &[&str],
    max_chars: usize,
) {
    let mut corpus = Corpus(0x9E37_79B9_7F4A_7C15);
    let lengths = (0..6).chain(max_chars.saturating_sub(3)..=max_chars + 3);
    let random: Vec<String> = lengths
        .flat_map(|len| (0..40).map(move |_| len))
        .map(|len| corpus.string(len))
        .collect();
    for input in edge_cases
        .iter()
        .copied()
        .chain(random.iter().map(String::as_str))
    {
        assert_eq!(
            regex.is_match(input),
            rule(input),
            "{name}: the pattern and the server disagree on {input:?}"
        );
    }
}

fn trimmed_chars(raw: &str) -> usize {
    raw.trim().chars().count()
}

const EDGE_CASES: &[&str] = &[
    "",
    " ",
    "\u{3000}",
    "\u{85}",
    "\u{FEFF}",
    "a",
    " a ",
    "\u{2028}a\u{2029}",
    "a\nb",
    "A/B",
    "A\\B",
    "A+B",
    "/",
    "😀",
];

#[test]
fn customer_names_are_trimmed_1_to_100_characters_without_slash_backslash_or_plus() {
    let rule = |raw: &str| {
        (1..=100).contains(&trimmed_chars(raw)) && !raw.trim().contains(['/', '\\', '+'])
    };
    let long = "é".repeat(100);
    let padded = format!("\u{3000} {long}\t");
    let too_long = format!("{long}x");
    let edge_cases: Vec<&str> = EDGE_CASES
        .iter()
        .copied()
        .chain([long.as_str(), padded.as_str(), too_long.as_str()])
        .collect();
    agrees(
        "CreateCustomer.name",
        &pattern::<CreateCustomer>("name"),
        rule,
        &edge_cases,
        100,
    );
    agrees(
        "UpdateCustomer.name",
        &pattern::<UpdateCustomer>("name"),
        rule,
        &edge_cases,
        100,
    );
}

#[test]
fn other_names_are_trimmed_1_to_100_characters() {
    let rule = |raw: &str| (1..=100).contains(&trimmed_chars(raw));
    for (name, regex) in [
        (
            "CreateGroupPolicy.name",
            pattern::<CreateGroupPolicy>("name"),
        ),
        (
            "UpdateGroupPolicy.name",
            pattern::<UpdateGroupPolicy>("name"),
        ),
        (
            "CreateApiTokenRequest.name",
            pattern::<CreateApiTokenRequest>("name"),
        ),
    ] {
        agrees(name, &regex, rule, EDGE_CASES, 100);
    }
}

#[test]
fn bounded_free_text_is_counted_after_trimming() {
    let details = |raw: &str| trimmed_chars(raw) <= 2000;
    let long = format!(" {} ", "x".repeat(2000));
    let too_long = "x".repeat(2001);
    let edge_cases: Vec<&str> = EDGE_CASES
        .iter()
        .copied()
        .chain([long.as_str(), too_long.as_str()])
        .collect();
    agrees(
        "CreateCustomer.details",
        &pattern::<CreateCustomer>("details"),
        details,
        &edge_cases,
        2000,
    );
    agrees(
        "UpdateCustomer.details",
        &pattern::<UpdateCustomer>("details"),
        details,
        &edge_cases,
        2000,
    );
    agrees(
        "DeviceActivation.device_id",
        &pattern::<DeviceActivation>("device_id"),
        |raw| (1..=200).contains(&trimmed_chars(raw)),
        EDGE_CASES,
        200,
    );
    // The server counts `q` after lower-casing it, which lengthens a few characters (`İ` becomes
    // two); the document counts what the caller sends.
    agrees(
        "AzureCustomersRequest.q",
        &pattern::<AzureCustomersRequest>("q"),
        |raw| trimmed_chars(raw) <= 200,
        EDGE_CASES,
        200,
    );
}

/// The client secret: trimmed 1–1 024 characters, and not a GUID (the secret's ID), which the
/// document says with `not: {pattern}`.
#[test]
fn a_client_secret_is_a_bounded_value_that_is_not_a_guid() {
    let schema = property::<AzureCustomersRequest>("client_secret");
    let length = pattern::<AzureCustomersRequest>("client_secret");
    let guid = Regex::new(schema["not"]["pattern"].as_str().expect("a `not` pattern"))
        .expect("the GUID pattern compiles");
    let matches = |raw: &str| length.is_match(raw) && !guid.is_match(raw);
    let server = |raw: &str| (1..=1024).contains(&trimmed_chars(raw)) && !is_guid(raw);
    let long = "s".repeat(1024);
    let too_long = format!("{long}s");
    let inputs = EDGE_CASES.iter().chain(GUIDS).copied().chain([
        "demo-secret",
        " Abc~8Q.x_secret-value ",
        long.as_str(),
        too_long.as_str(),
    ]);
    for input in inputs {
        assert_eq!(matches(input), server(input), "{input:?}");
    }
    let mut corpus = Corpus(3);
    for len in (0..6).chain(1020..1028) {
        for _ in 0..40 {
            let input = corpus.string(len);
            assert_eq!(matches(&input), server(&input), "{input:?}");
        }
    }
    assert_eq!(schema["format"], "password");
}

#[test]
fn a_sign_in_email_is_anything_but_blank() {
    agrees(
        "LoginRequest.email",
        &pattern::<LoginRequest>("email"),
        |raw| !raw.trim().is_empty(),
        EDGE_CASES,
        5,
    );
}

/// The server's GUID reading (`AzureTenantId::parse`): trimmed, optionally in braces, the
/// 36-character hyphenated form in either case.
fn is_guid(raw: &str) -> bool {
    let trimmed = raw.trim();
    let inner = trimmed
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(trimmed);
    inner.len() == 36 && uuid::Uuid::try_parse(inner).is_ok()
}

const GUIDS: &[&str] = &[
    "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "5F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F",
    "{5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f}",
    " \u{3000}5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f\n",
    "{5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f}",
    "{ 5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f}",
    "5f1c2d3e4a5b4c6d8e7f9a0b1c2d3e4f",
    "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4g",
    "urn:uuid:5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f5",
    "",
    "  ",
    "\u{85}",
    "not-a-guid",
];

#[test]
fn guid_fields_take_the_forms_the_server_reads() {
    let blank_or_guid = |raw: &str| raw.trim().is_empty() || is_guid(raw);
    for (name, regex) in [
        (
            "CreateCustomer.azure_tenant_id",
            pattern::<CreateCustomer>("azure_tenant_id"),
        ),
        (
            "UpdateCustomer.azure_tenant_id",
            pattern::<UpdateCustomer>("azure_tenant_id"),
        ),
        ("AzureLogin.tenant_id", pattern::<AzureLogin>("tenant_id")),
    ] {
        agrees(name, &regex, blank_or_guid, GUIDS, 36);
    }
    agrees(
        "AzureCustomersRequest.client_id",
        &pattern::<AzureCustomersRequest>("client_id"),
        is_guid,
        GUIDS,
        36,
    );
}

/// The server's licence-key reading (`LicenceKey::parse`): hyphens and spaces dropped, any case,
/// O read as 0 and I and L as 1, 25 Crockford base-32 characters.
fn is_licence_key(raw: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut count = 0;
    for character in raw
        .chars()
        .filter(|character| !matches!(character, '-' | ' '))
    {
        let upper = match character.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !ALPHABET.contains(upper) {
            return false;
        }
        count += 1;
    }
    count == 25
}

#[test]
fn licence_keys_are_25_key_characters_with_any_hyphens_and_spaces() {
    let regex = pattern::<DeviceActivation>("licence_key");
    let edge_cases = [
        "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJC",
        "7k3qx m9d2p 4vw8r b6t1n z0hjc",
        "7K3QXM9D2P4VW8RB6T1NZ0HJC",
        "-7K3QX--M9D2P-4VW8R-B6T1N-Z0HJC- ",
        "OIL00-00000-00000-00000-00000",
        "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJ",
        "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJCC",
        "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJU",
        "7K3QX_M9D2P-4VW8R-B6T1N-Z0HJC",
        "7K3QX\tM9D2P-4VW8R-B6T1N-Z0HJC",
        "7K3QX-M9D2P-4VW8R-B6T1N-Z0HJÇ",
        "",
    ];
    for key in edge_cases {
        assert_eq!(regex.is_match(key), is_licence_key(key), "{key:?}");
    }
    let alphabet: Vec<char> = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ- _é"
        .chars()
        .collect();
    let mut corpus = Corpus(7);
    for len in 20..35 {
        for _ in 0..200 {
            let key: String = (0..len).map(|_| corpus.pick(&alphabet)).collect();
            assert_eq!(regex.is_match(&key), is_licence_key(&key), "{key:?}");
        }
    }
}

#[test]
fn required_fields_and_ranges_are_declared() {
    let create = schema_of::<CreateCustomer>();
    assert_eq!(
        create["required"],
        serde_json::json!(["name", "total_licenses", "email"])
    );
    for field in ["name", "email"] {
        assert_eq!(create["properties"][field]["type"], "string", "{field}");
    }
    assert_eq!(create["properties"]["email"]["format"], "email");
    for schema in [create, schema_of::<UpdateCustomer>()] {
        let seats = &schema["properties"]["total_licenses"];
        assert_eq!(
            (seats["minimum"].as_f64(), seats["maximum"].as_f64()),
            (Some(1.0), Some(1e6))
        );
    }
}

/// The rules between licensing options, as the server applies them (`LicensingSelection::parse`,
/// leaving out what the reseller holds), against the document's `not` over `contains`.
#[test]
fn licensing_options_rules_between_options_are_in_the_schema() {
    let schema = property::<CreateCustomer>("licensing_options");
    let broken = &schema["not"]["anyOf"];
    assert_eq!(
        broken[0]["allOf"][0]["contains"]["const"],
        "email_security_365"
    );
    assert_eq!(broken[0]["allOf"][1]["contains"]["const"], "atp");
    assert_eq!(broken[1]["anyOf"][0]["contains"]["const"], "tac");
    assert_eq!(
        broken[1]["anyOf"][1]["contains"]["const"],
        "tac_ui_m365_user_security"
    );
    assert_eq!(broken[1]["not"]["contains"]["const"], "mxdr");
    assert_eq!(
        schema["items"]["$ref"],
        "#/components/schemas/LicensingOption"
    );
    let update = property::<UpdateCustomer>("licensing_options");
    assert_eq!(update["type"], serde_json::json!(["array", "null"]));
    assert_eq!(update["not"], schema["not"]);
    // A null (no change) must not match a broken rule, or `not` would refuse it.
    assert_eq!(broken[0]["type"], "array");
    assert_eq!(broken[1]["type"], "array");
}
