//! The SCIM filters this server answers (SPEC §13): `userName`, `externalId` or `id` compared
//! with `eq`, joined by `and`: what Entra's provisioning service sends. Anything else is an
//! `invalidFilter` error naming what is supported.

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, Filter};
use uuid::Uuid;

use super::{
    USER_SCHEMA,
    error::{ScimError, ScimType},
};
use crate::services::provisioning::users::LookupTerm;

const SUPPORTED: &str = "this server filters users by userName, externalId or id with eq, joined by and (e.g. userName eq \"alex@contoso.com\")";

/// The terms of `raw`, all of which a user must match.
pub fn lookup_terms(raw: &str) -> Result<Vec<LookupTerm>, ScimError> {
    let filter: Filter = raw.parse().map_err(|error| {
        ScimError::bad_request(
            ScimType::InvalidFilter,
            format!("the filter is not valid SCIM filter syntax ({error}); {SUPPORTED}"),
        )
    })?;
    match filter {
        Filter::And(items) => items.iter().map(term).collect(),
        single => Ok(vec![term(&single)?]),
    }
}

fn unsupported(what: impl std::fmt::Display) -> ScimError {
    ScimError::bad_request(
        ScimType::InvalidFilter,
        format!("{what} is not supported: {SUPPORTED}"),
    )
}

fn term(filter: &Filter) -> Result<LookupTerm, ScimError> {
    let Filter::Attr(AttrExp::Comparison(path, operator, value)) = filter else {
        return Err(unsupported(format!("the filter \"{filter}\"")));
    };
    if *operator != CompareOp::Eq {
        return Err(unsupported(format!("the operator in \"{filter}\"")));
    }
    let CompValue::Str(value) = value else {
        return Err(unsupported(format!(
            "the value in \"{filter}\" (not a string)"
        )));
    };
    let value = value.clone();
    match attribute(path) {
        Some(name) if name.eq_ignore_ascii_case("userName") => Ok(LookupTerm::UserName(value)),
        Some(name) if name.eq_ignore_ascii_case("externalId") => Ok(LookupTerm::ExternalId(value)),
        Some(name) if name.eq_ignore_ascii_case("id") => {
            Ok(LookupTerm::Id(Uuid::parse_str(value.trim()).ok()))
        }
        _ => Err(unsupported(format!("the attribute \"{path}\""))),
    }
}

/// The attribute a path names, when it is a plain attribute of the core User schema.
fn attribute(path: &AttrPath) -> Option<&str> {
    let core = path
        .uri
        .as_deref()
        .is_none_or(|uri| uri.eq_ignore_ascii_case(USER_SCHEMA));
    (core && path.sub_attr.is_none()).then_some(path.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entras_lookups_are_read_as_terms_joined_by_and() {
        assert_eq!(
            lookup_terms(r#"userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a""#).unwrap(),
            vec![LookupTerm::UserName(
                "7d420df3-9995-4831-a406-ecf8166f5f6a".into()
            )]
        );
        assert_eq!(
            lookup_terms(r#"externalId EQ "abc" and userName eq "a@b.test""#).unwrap(),
            vec![
                LookupTerm::ExternalId("abc".into()),
                LookupTerm::UserName("a@b.test".into())
            ]
        );
        assert_eq!(
            lookup_terms(r#"id eq "not-a-uuid""#).unwrap(),
            vec![LookupTerm::Id(None)]
        );
        assert_eq!(
            lookup_terms(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#).unwrap(),
            vec![LookupTerm::UserName("x".into())]
        );
    }

    #[test]
    fn other_filters_are_refused_as_invalid_filters() {
        for raw in [
            r#"userName co "a""#,
            r#"userName eq "a" or userName eq "b""#,
            r#"title eq "x""#,
            r#"emails[type eq "work"].value eq "x""#,
            "userName eq",
            r#"not (userName eq "a")"#,
            r#"active eq true"#,
        ] {
            let error = lookup_terms(raw).unwrap_err();
            assert_eq!(error.scim_type, Some(ScimType::InvalidFilter), "{raw}");
        }
    }
}
