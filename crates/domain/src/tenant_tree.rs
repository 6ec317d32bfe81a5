//! The tenant tree's shape: Distributor → Reseller → Corporate (SPEC §2).

use proto::TenantType;

/// Whether a tenant of type `child` may sit under `parent` (`None`: at the root). Distributors
/// are roots; a reseller stands alone or under a distributor; a Corporate customer always
/// belongs to a reseller.
pub fn may_place_under(child: TenantType, parent: Option<TenantType>) -> bool {
    match child {
        TenantType::Distributor => parent.is_none(),
        TenantType::Reseller => matches!(parent, None | Some(TenantType::Distributor)),
        TenantType::Corporate => parent == Some(TenantType::Reseller),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TenantType::{Corporate, Distributor, Reseller};

    #[test]
    fn each_tenant_type_goes_only_where_the_tree_allows() {
        let allowed = [
            (Distributor, None),
            (Reseller, None),
            (Reseller, Some(Distributor)),
            (Corporate, Some(Reseller)),
        ];
        for child in TenantType::ALL {
            for parent in [None, Some(Distributor), Some(Reseller), Some(Corporate)] {
                assert_eq!(
                    may_place_under(child, parent),
                    allowed.contains(&(child, parent)),
                    "{child:?} under {parent:?}"
                );
            }
        }
    }
}
