//! SPEC §7: a customer as the API accepts it, with every rule checked and reported per field.

use proto::{CreateCustomer, FieldError, LicensingOption, UpdateCustomer};

use crate::{
    AzureTenantId, Email, EmailError, LicensingError, LicensingSelection, TenantName, TextError,
};

/// What the parent reseller allows its customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerTerms {
    pub licensing_options: Vec<LicensingOption>,
    pub master_gp_distribution: bool,
}

/// Purchased seats: a whole number from 1 to 1 000 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotalLicenses(u32);

impl TotalLicenses {
    pub const MAX: u32 = 1_000_000;

    pub fn parse(raw: i64) -> Result<Self, String> {
        u32::try_from(raw)
            .ok()
            .filter(|seats| (1..=Self::MAX).contains(seats))
            .map(Self)
            .ok_or_else(|| format!("enter a whole number of licences from 1 to {}", Self::MAX))
    }

    pub fn value(self) -> u32 {
        self.0
    }
}

/// Free-text details: at most 2 000 characters; blank means none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails(String);

impl CustomerDetails {
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(format!(
                "at most {} characters are allowed",
                Self::MAX_CHARS
            ));
        }
        Ok((!trimmed.is_empty()).then(|| Self(trimmed.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Collects every broken rule, so a form can mark all of them at once.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    fn name(&mut self, raw: &str) -> Option<TenantName> {
        TenantName::parse(raw)
            .map_err(|error| {
                let code = match error {
                    TextError::Empty => "required",
                    TextError::TooLong { .. } => "too_long",
                    TextError::ForbiddenCharacter => "forbidden_character",
                    TextError::TooShort { .. } => "too_short",
                };
                self.add("name", code, error.to_string());
            })
            .ok()
    }

    fn tenant_name(&mut self, raw: &str) -> Option<crate::CustomerTenantName> {
        crate::CustomerTenantName::parse(raw)
            .map_err(|error| self.add("tenant_name", "invalid", error.to_string()))
            .ok()
    }

    fn display_name(&mut self, raw: &str) -> Option<crate::CustomerDisplayName> {
        crate::CustomerDisplayName::parse(raw)
            .map_err(|error| {
                let code = match error {
                    TextError::Empty => "required",
                    _ => "too_long",
                };
                self.add("display_name", code, error.to_string());
            })
            .ok()
    }

    fn total_licenses(&mut self, raw: i64) -> Option<TotalLicenses> {
        TotalLicenses::parse(raw)
            .map_err(|message| self.add("total_licenses", "out_of_range", message))
            .ok()
    }

    fn email(&mut self, raw: &str) -> Option<Email> {
        Email::parse(raw)
            .map_err(|error| {
                let code = match error {
                    EmailError::Empty => "required",
                    EmailError::Invalid => "invalid_email",
                };
                self.add("email", code, error.to_string());
            })
            .ok()
    }

    fn details(&mut self, raw: &str) -> Option<Option<CustomerDetails>> {
        CustomerDetails::parse(raw)
            .map_err(|message| self.add("details", "too_long", message))
            .ok()
    }

    fn licensing(
        &mut self,
        requested: &[LicensingOption],
        terms: &ResellerTerms,
    ) -> Option<LicensingSelection> {
        LicensingSelection::parse(requested, &terms.licensing_options)
            .map_err(|errors| {
                for error in errors {
                    let code = match error {
                        LicensingError::NotHeldByReseller(_) => "not_held_by_reseller",
                        LicensingError::EmailSecurityAndAtp => "mutually_exclusive",
                        LicensingError::NeedsMxdr(_) => "requires_mxdr",
                    };
                    self.add("licensing_options", code, error.to_string());
                }
            })
            .ok()
    }

    fn opt_in_master_gp(&mut self, opt_in: bool, terms: &ResellerTerms) -> Option<bool> {
        if opt_in && !terms.master_gp_distribution {
            self.add(
                "opt_in_master_gp",
                "distribution_off",
                "turn on Reseller Master GPs Distribution (Endpoint Settings → Windows GP) before opting customers in",
            );
            return None;
        }
        Some(opt_in)
    }

    fn azure_tenant_id(&mut self, raw: &str) -> Option<Option<AzureTenantId>> {
        if raw.trim().is_empty() {
            return Some(None);
        }
        AzureTenantId::parse(raw)
            .map(Some)
            .map_err(|error| self.add("azure_tenant_id", "invalid_guid", error.to_string()))
            .ok()
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

/// A new customer that satisfies every rule of §7 (uniqueness aside, which the database decides).
#[derive(Debug, Clone)]
pub struct CustomerDraft {
    pub name: TenantName,
    /// Asked for; derived from the name when `None`.
    pub tenant_name: Option<crate::CustomerTenantName>,
    /// Asked for; the name when `None`.
    pub display_name: Option<crate::CustomerDisplayName>,
    pub total_licenses: TotalLicenses,
    pub email: Email,
    pub details: Option<CustomerDetails>,
    pub monthly_billing: bool,
    pub licensing: LicensingSelection,
    pub opt_in_master_gp: bool,
    pub azure_tenant_id: Option<AzureTenantId>,
    pub spla: bool,
}

impl CustomerDraft {
    pub fn parse(input: &CreateCustomer, terms: &ResellerTerms) -> Result<Self, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name = problems.name(input.name.as_deref().unwrap_or_default());
        let tenant_name = input
            .tenant_name
            .as_deref()
            .map(|raw| problems.tenant_name(raw));
        let display_name = input
            .display_name
            .as_deref()
            .map(|raw| problems.display_name(raw));
        let total_licenses = match input.total_licenses {
            Some(raw) => problems.total_licenses(raw),
            None => {
                problems.add(
                    "total_licenses",
                    "required",
                    "enter the number of licences purchased",
                );
                None
            }
        };
        let email = problems.email(input.email.as_deref().unwrap_or_default());
        let details = problems.details(input.details.as_deref().unwrap_or_default());
        let licensing = problems.licensing(&input.licensing_options, terms);
        let opt_in_master_gp = problems.opt_in_master_gp(input.opt_in_master_gp, terms);
        let azure_tenant_id =
            problems.azure_tenant_id(input.azure_tenant_id.as_deref().unwrap_or_default());
        let draft = (|| {
            Some(Self {
                name: name?,
                tenant_name: tenant_name.map_or(Some(None), |parsed| parsed.map(Some))?,
                display_name: display_name.map_or(Some(None), |parsed| parsed.map(Some))?,
                total_licenses: total_licenses?,
                email: email?,
                details: details?,
                monthly_billing: input.monthly_billing.unwrap_or(true),
                licensing: licensing?,
                opt_in_master_gp: opt_in_master_gp?,
                azure_tenant_id: azure_tenant_id?,
                spla: input.spla.unwrap_or(false),
            })
        })();
        problems.finish(draft)
    }
}

/// The changes of a `PATCH`, each checked like on creation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    pub name: Option<TenantName>,
    pub tenant_name: Option<crate::CustomerTenantName>,
    pub display_name: Option<crate::CustomerDisplayName>,
    pub total_licenses: Option<TotalLicenses>,
    pub email: Option<Email>,
    pub details: Option<Option<CustomerDetails>>,
    pub monthly_billing: Option<bool>,
    pub licensing: Option<LicensingSelection>,
    pub opt_in_master_gp: Option<bool>,
    pub azure_tenant_id: Option<Option<AzureTenantId>>,
    pub spla: Option<bool>,
}

impl CustomerChanges {
    /// Whether the request asks for no change at all (`{}`).
    pub fn is_empty(&self) -> bool {
        let Self {
            name,
            tenant_name,
            display_name,
            total_licenses,
            email,
            details,
            monthly_billing,
            licensing,
            opt_in_master_gp,
            azure_tenant_id,
            spla,
        } = self;
        name.is_none()
            && tenant_name.is_none()
            && display_name.is_none()
            && total_licenses.is_none()
            && email.is_none()
            && details.is_none()
            && monthly_billing.is_none()
            && licensing.is_none()
            && opt_in_master_gp.is_none()
            && azure_tenant_id.is_none()
            && spla.is_none()
    }

    pub fn parse(input: &UpdateCustomer, terms: &ResellerTerms) -> Result<Self, Vec<FieldError>> {
        let mut problems = Problems::default();
        let mut changes = Self {
            monthly_billing: input.monthly_billing,
            spla: input.spla,
            ..Self::default()
        };
        let mut valid = true;
        macro_rules! check {
            ($field:ident, $parsed:expr) => {
                if let Some(raw) = &input.$field {
                    match $parsed(&mut problems, raw) {
                        Some(value) => changes.$field = Some(value),
                        None => valid = false,
                    }
                }
            };
        }
        check!(name, |problems: &mut Problems, raw: &String| problems
            .name(raw));
        check!(tenant_name, |problems: &mut Problems, raw: &String| {
            problems.tenant_name(raw)
        });
        check!(display_name, |problems: &mut Problems, raw: &String| {
            problems.display_name(raw)
        });
        check!(total_licenses, |problems: &mut Problems, raw: &i64| {
            problems.total_licenses(*raw)
        });
        check!(email, |problems: &mut Problems, raw: &String| problems
            .email(raw));
        check!(details, |problems: &mut Problems, raw: &String| problems
            .details(raw));
        check!(opt_in_master_gp, |problems: &mut Problems, raw: &bool| {
            problems.opt_in_master_gp(*raw, terms)
        });
        check!(azure_tenant_id, |problems: &mut Problems, raw: &String| {
            problems.azure_tenant_id(raw)
        });
        if let Some(requested) = &input.licensing_options {
            match problems.licensing(requested, terms) {
                Some(selection) => changes.licensing = Some(selection),
                None => valid = false,
            }
        }
        problems.finish(valid.then_some(changes))
    }
}

#[cfg(test)]
#[path = "customer_tests.rs"]
mod tests;
