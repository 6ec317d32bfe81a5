//! Conversions between stored column values and wire types. A stored value that does not parse
//! means the database was changed behind the application's back: an internal error, not a 4xx.

use domain::ClaimSet;
use proto::{Claim, LicensingOption, Role, TenantSummary, TenantType, WizardStatus};

use crate::error::ApiError;

fn corrupt(what: &str, value: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!("stored {what} {value:?} is not valid"))
}

pub fn parse_role(value: &str) -> Result<Role, ApiError> {
    [Role::Admin, Role::Technician]
        .into_iter()
        .find(|role| role.as_str() == value)
        .ok_or_else(|| corrupt("role", value))
}

pub fn parse_tenant_type(value: &str) -> Result<TenantType, ApiError> {
    [
        TenantType::Distributor,
        TenantType::Reseller,
        TenantType::Corporate,
    ]
    .into_iter()
    .find(|tenant_type| tenant_type.as_str() == value)
    .ok_or_else(|| corrupt("tenant type", value))
}

pub fn parse_wizard_status(value: &str) -> Result<WizardStatus, ApiError> {
    WizardStatus::from_code(value).ok_or_else(|| corrupt("wizard status", value))
}

fn parse_codes<T>(
    what: &str,
    value: &str,
    from_code: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ApiError> {
    let codes: Vec<String> = serde_json::from_str(value).map_err(|_| corrupt(what, value))?;
    codes
        .iter()
        .map(|code| from_code(code).ok_or_else(|| corrupt(what, code)))
        .collect()
}

pub fn parse_claims(value: &str) -> Result<ClaimSet, ApiError> {
    Ok(parse_codes("claims", value, Claim::from_code)?
        .into_iter()
        .collect())
}

pub fn parse_licensing_options(value: &str) -> Result<Vec<LicensingOption>, ApiError> {
    parse_codes("licensing options", value, LicensingOption::from_code)
}

pub fn encode_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let codes: Vec<&str> = codes.into_iter().collect();
    serde_json::Value::from(codes).to_string()
}

pub fn tenant_summary(tenant: &entity::tenant::Model) -> Result<TenantSummary, ApiError> {
    Ok(TenantSummary {
        id: tenant.id,
        name: tenant.name.clone(),
        tenant_type: parse_tenant_type(&tenant.tenant_type)?,
        parent_id: tenant.parent_id,
        monthly_billing: tenant.monthly_billing,
        licensing_options: parse_licensing_options(&tenant.licensing_options)?,
        azure_tenant_id: tenant.azure_tenant_id.clone(),
        master_gp_distribution: tenant.master_gp_distribution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_stored_form() {
        let stored = encode_codes(Claim::ALL.iter().map(|claim| claim.as_str()));
        assert_eq!(parse_claims(&stored).unwrap(), ClaimSet::all());
        let options = encode_codes(LicensingOption::ALL.iter().map(|option| option.as_str()));
        assert_eq!(
            parse_licensing_options(&options).unwrap(),
            LicensingOption::ALL.to_vec()
        );
    }

    #[test]
    fn an_unknown_stored_code_is_an_internal_error() {
        assert!(matches!(
            parse_claims(r#"["fly"]"#),
            Err(ApiError::Internal(_))
        ));
        assert!(matches!(parse_role("owner"), Err(ApiError::Internal(_))));
    }
}
