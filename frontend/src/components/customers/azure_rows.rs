//! The Azure grid's rows changed in place after what was done from the customer list: Link, Not
//! this one, Rename customer, a customer created. Listing again would count as the user's next
//! visit and take every New mark away (issue 19), so the rows follow the server's rules here
//! instead, as far as what the app knows allows; the next listing brings the rest.

use proto::{AzureCustomer, AzureCustomerBlock, Customer, CustomerMatch, MatchBasis};
use uuid::Uuid;

/// A customer as the rows refer to it, as it is now.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownCustomer {
    pub id: Uuid,
    pub name: String,
    pub azure_tenant_id: Option<String>,
}

impl From<&Customer> for KnownCustomer {
    fn from(customer: &Customer) -> Self {
        Self {
            id: customer.id,
            name: customer.name.clone(),
            azure_tenant_id: customer.azure_tenant_id.clone(),
        }
    }
}

/// What changed since the listing.
#[derive(Clone, Debug, PartialEq)]
pub enum RowChange {
    /// A customer was created, linked to a sub-tenant (Link) or renamed (Rename customer).
    Customer(KnownCustomer),
    /// **Not this one**: the sub-tenant's suggestion is gone.
    MatchRejected { tenant_id: String },
}

/// The key customer names are unique by: trimmed, ignoring case.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub fn apply(rows: &mut [AzureCustomer], change: &RowChange) {
    match change {
        RowChange::MatchRejected { tenant_id } => {
            for row in rows.iter_mut().filter(|row| row.tenant_id == *tenant_id) {
                row.suggested_match = None;
            }
        }
        RowChange::Customer(customer) => {
            let key = name_key(&customer.name);
            for row in rows.iter_mut() {
                follow(row, customer, &key);
            }
        }
    }
}

/// One row after `customer` (whose name key is `key`) changed, by the listing's rules: a name
/// taken blocks before a tenant ID taken, and a linked customer is suggested for its own
/// sub-tenant only.
fn follow(row: &mut AzureCustomer, customer: &KnownCustomer, key: &str) {
    let linked = customer
        .azure_tenant_id
        .as_deref()
        .is_some_and(|id| id.trim().eq_ignore_ascii_case(row.tenant_id.trim()));
    let same_name = name_key(&row.name) == key;
    if linked {
        row.suggested_match = Some(CustomerMatch {
            customer_id: customer.id,
            customer_name: customer.name.clone(),
            basis: MatchBasis::TenantId,
        });
    } else if let Some(suggested) = &mut row.suggested_match
        && suggested.customer_id == customer.id
    {
        if customer.azure_tenant_id.is_some() {
            row.suggested_match = None;
        } else {
            suggested.customer_name = customer.name.clone();
        }
    }
    if let Some(rename) = &mut row.renamed
        && rename.customer_id == customer.id
    {
        if linked && !same_name {
            rename.customer_name = customer.name.clone();
        } else {
            row.renamed = None;
        }
    }
    if same_name {
        row.can_create = false;
        row.reason = Some(AzureCustomerBlock::NameExists);
    } else if linked && row.reason.is_none() {
        row.can_create = false;
        row.reason = Some(AzureCustomerBlock::TenantIdExists);
    }
}

#[cfg(test)]
mod tests {
    use proto::{AzureRename, SubTenantSource};

    use super::*;

    const WOODGROVE: &str = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a";
    const LITWARE: &str = "936704c4-3a02-58ce-828c-03f8b91cc69d";

    fn row(name: &str, tenant_id: &str) -> AzureCustomer {
        AzureCustomer {
            name: name.to_owned(),
            tenant_id: tenant_id.to_owned(),
            can_create: true,
            reason: None,
            default_domain: None,
            source: SubTenantSource::Contract,
            suggested_match: None,
            new_since_last_visit: false,
            renamed: None,
        }
    }

    fn customer(id: u128, name: &str, azure_tenant_id: Option<&str>) -> KnownCustomer {
        KnownCustomer {
            id: Uuid::from_u128(id),
            name: name.to_owned(),
            azure_tenant_id: azure_tenant_id.map(str::to_owned),
        }
    }

    fn suggestion(id: u128, name: &str, basis: MatchBasis) -> Option<CustomerMatch> {
        Some(CustomerMatch {
            customer_id: Uuid::from_u128(id),
            customer_name: name.to_owned(),
            basis,
        })
    }

    #[test]
    fn link_makes_the_row_linked_and_takes_the_customer_from_other_suggestions() {
        let mut rows = vec![row("Litware Inc", LITWARE), row("Litware", WOODGROVE)];
        rows[0].suggested_match = suggestion(1, "Litware Limited", MatchBasis::Name);
        rows[1].suggested_match = suggestion(1, "Litware Limited", MatchBasis::Name);
        let linked = customer(1, "Litware Limited", Some(LITWARE));
        apply(&mut rows, &RowChange::Customer(linked));
        assert_eq!(
            rows[0].suggested_match,
            suggestion(1, "Litware Limited", MatchBasis::TenantId)
        );
        assert!(!rows[0].can_create);
        assert_eq!(rows[0].reason, Some(AzureCustomerBlock::TenantIdExists));
        assert_eq!(rows[1].suggested_match, None);
        assert!(rows[1].can_create);
    }

    #[test]
    fn not_this_one_takes_the_suggestion_away_and_nothing_else() {
        let mut rows = vec![row("Proseware Inc", LITWARE)];
        rows[0].suggested_match = suggestion(1, "Proseware Limited", MatchBasis::Name);
        let before = rows.clone();
        apply(
            &mut rows,
            &RowChange::MatchRejected {
                tenant_id: LITWARE.to_owned(),
            },
        );
        assert_eq!(rows[0].suggested_match, None);
        assert_eq!(
            (rows[0].can_create, rows[0].reason),
            (before[0].can_create, before[0].reason)
        );
    }

    #[test]
    fn a_created_customer_blocks_its_name_before_its_tenant_id() {
        // (row name, row tenant ID, customer's name, customer's tenant ID, reason, linked)
        let cases = [
            (
                "Trey Research",
                LITWARE,
                "trey research ",
                Some(LITWARE),
                Some(AzureCustomerBlock::NameExists),
                true,
            ),
            (
                "Trey Research",
                LITWARE,
                "Trey Research Labs",
                Some("936704C4-3A02-58CE-828C-03F8B91CC69D"),
                Some(AzureCustomerBlock::TenantIdExists),
                true,
            ),
            (
                "Trey Research",
                LITWARE,
                "Trey Research",
                None,
                Some(AzureCustomerBlock::NameExists),
                false,
            ),
            (
                "Trey Research",
                LITWARE,
                "Coho Winery",
                Some(WOODGROVE),
                None,
                false,
            ),
        ];
        for (name, tenant_id, customer_name, azure_tenant_id, reason, linked) in cases {
            let mut rows = vec![row(name, tenant_id)];
            let made = customer(7, customer_name, azure_tenant_id);
            apply(&mut rows, &RowChange::Customer(made));
            assert_eq!(rows[0].reason, reason, "{customer_name}");
            assert_eq!(rows[0].can_create, reason.is_none(), "{customer_name}");
            assert_eq!(rows[0].suggested_match.is_some(), linked, "{customer_name}");
        }
    }

    #[test]
    fn rename_customer_clears_the_note_and_the_new_name_is_taken() {
        let mut rows = vec![
            row("Woodgrove Group", WOODGROVE),
            row("Woodgrove Bank", LITWARE),
        ];
        rows[0].can_create = false;
        rows[0].reason = Some(AzureCustomerBlock::TenantIdExists);
        rows[0].suggested_match = suggestion(5, "Woodgrove Bank", MatchBasis::TenantId);
        rows[0].renamed = Some(AzureRename {
            customer_id: Uuid::from_u128(5),
            customer_name: "Woodgrove Bank".to_owned(),
            previous_azure_name: "Woodgrove Financial".to_owned(),
        });
        let renamed = customer(5, "Woodgrove Group", Some(WOODGROVE));
        apply(&mut rows, &RowChange::Customer(renamed));
        assert_eq!(rows[0].renamed, None);
        assert_eq!(rows[0].reason, Some(AzureCustomerBlock::NameExists));
        assert_eq!(
            rows[0].suggested_match,
            suggestion(5, "Woodgrove Group", MatchBasis::TenantId)
        );
        // The old name is freed, but whether its row may be created needs the next listing.
        assert!(rows[1].can_create);
    }

    #[test]
    fn a_rename_elsewhere_keeps_the_note_with_the_customers_name_now() {
        let mut rows = vec![row("Woodgrove Group", WOODGROVE)];
        rows[0].renamed = Some(AzureRename {
            customer_id: Uuid::from_u128(5),
            customer_name: "Woodgrove Bank".to_owned(),
            previous_azure_name: "Woodgrove Financial".to_owned(),
        });
        apply(
            &mut rows,
            &RowChange::Customer(customer(5, "Woodgrove Holdings", Some(WOODGROVE))),
        );
        assert_eq!(
            rows[0]
                .renamed
                .as_ref()
                .map(|rename| rename.customer_name.as_str()),
            Some("Woodgrove Holdings")
        );
    }
}
