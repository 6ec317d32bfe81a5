//! A customer tenant's address (SPEC §15): `<tenant name>-<MSP name>`, reached at
//! `https://<address>.<public domain>` when the operator configured a public domain and at
//! `/t/<address>` otherwise. The MSP part is derived from the MSP's name by the same rules as a
//! tenant name, so an address is lower-case letters, digits and hyphens.

use crate::CustomerTenantName;

/// The MSP's part of its customer tenants' addresses.
pub fn msp_label(msp_name: &str) -> CustomerTenantName {
    CustomerTenantName::derive(msp_name)
}

/// `<tenant name>-<MSP name>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantAddressError {
    #[error("an address has {min} to {max} characters")]
    Length { min: usize, max: usize },
    #[error("an address has only lower-case letters a–z, digits and hyphens")]
    Characters,
}

impl TenantAddress {
    /// Two names of at least 3 characters and the hyphen between them.
    pub const MIN_CHARS: usize = 2 * CustomerTenantName::MIN_CHARS + 1;
    pub const MAX_CHARS: usize = 2 * CustomerTenantName::MAX_CHARS + 1;

    pub fn of(tenant_name: &CustomerTenantName, msp_name: &str) -> Self {
        Self(format!(
            "{}-{}",
            tenant_name.as_str(),
            msp_label(msp_name).as_str()
        ))
    }

    /// An address as typed or found in a path; upper case is read as lower case.
    pub fn parse(raw: &str) -> Result<Self, TenantAddressError> {
        let value = raw.trim().to_ascii_lowercase();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&value.len()) {
            return Err(TenantAddressError::Length {
                min: Self::MIN_CHARS,
                max: Self::MAX_CHARS,
            });
        }
        if !value
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        {
            return Err(TenantAddressError::Characters);
        }
        Ok(Self(value))
    }

    /// The tenant name this address gives to a customer of the MSP called `msp_name`, or `None`
    /// when the address is not one of that MSP's.
    pub fn tenant_name_in(&self, msp_name: &str) -> Option<CustomerTenantName> {
        let label = msp_label(msp_name);
        let tenant = self.0.strip_suffix(label.as_str())?.strip_suffix('-')?;
        CustomerTenantName::parse(tenant).ok()
    }

    /// Every way to split the address into a tenant name and an MSP label, for a look-up that
    /// does not know the MSP yet (a `Host` before sign-in).
    pub fn splits(&self) -> Vec<(CustomerTenantName, &str)> {
        self.0
            .match_indices('-')
            .filter_map(|(at, _)| {
                let tenant = CustomerTenantName::parse(&self.0[..at]).ok()?;
                let msp = &self.0[at + 1..];
                CustomerTenantName::parse(msp).ok()?;
                Some((tenant, msp))
            })
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The operator's public domain (`APP_PUBLIC_DOMAIN`), under which each customer tenant has its
/// own host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicDomain(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a public domain is a DNS name such as msp.example.com: labels of letters, digits and hyphens joined by dots"
)]
pub struct PublicDomainError;

impl PublicDomain {
    pub fn parse(raw: &str) -> Result<Self, PublicDomainError> {
        let value = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let labels_ok = value.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        });
        if value.len() > 253 || !value.contains('.') || !labels_ok {
            return Err(PublicDomainError);
        }
        Ok(Self(value))
    }

    /// The address a `Host` header names: one label directly under the domain, the port ignored.
    /// `None` for the domain itself and for any other host.
    pub fn address_of_host(&self, host: &str) -> Option<TenantAddress> {
        let host = host.trim().to_ascii_lowercase();
        let host = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|byte| byte.is_ascii_digit()) => name,
            _ => host.as_str(),
        };
        let label = host.trim_end_matches('.').strip_suffix(self.0.as_str())?;
        let label = label.strip_suffix('.')?;
        if label.contains('.') {
            return None;
        }
        TenantAddress::parse(label).ok()
    }

    pub fn url_of(&self, address: &TenantAddress) -> String {
        format!("https://{}.{}", address.as_str(), self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the web app opens a customer tenant.
pub fn url_of(address: &TenantAddress, public_domain: Option<&PublicDomain>) -> String {
    match public_domain {
        Some(domain) => domain.url_of(address),
        None => format!("/t/{}", address.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> CustomerTenantName {
        CustomerTenantName::parse(raw).unwrap()
    }

    #[test]
    fn an_address_joins_the_tenant_name_and_the_msps_derived_name() {
        let address = TenantAddress::of(&name("contoso"), "Demo Reseller");
        assert_eq!(address.as_str(), "contoso-demo-reseller");
        assert_eq!(
            TenantAddress::of(&name("northern-dental"), "Ashworth & Kingsley IT").as_str(),
            "northern-dental-ashworth-and-kingsley-it"
        );
    }

    #[test]
    fn an_address_gives_back_its_tenant_name_only_for_its_own_msp() {
        let address = TenantAddress::parse("Contoso-East-Demo-Reseller").unwrap();
        assert_eq!(
            address.tenant_name_in("Demo Reseller").unwrap().as_str(),
            "contoso-east"
        );
        assert_eq!(address.tenant_name_in("Other Reseller"), None);
        assert_eq!(
            address
                .tenant_name_in("East Demo Reseller")
                .unwrap()
                .as_str(),
            "contoso"
        );
        assert_eq!(
            TenantAddress::parse("ab-demo-reseller")
                .unwrap()
                .tenant_name_in("Demo Reseller"),
            None
        );
    }

    #[test]
    fn an_address_lists_every_split_into_a_tenant_and_an_msp() {
        let address = TenantAddress::parse("contoso-demo-reseller").unwrap();
        let splits: Vec<(String, &str)> = address
            .splits()
            .into_iter()
            .map(|(tenant, msp)| (tenant.as_str().to_owned(), msp))
            .collect();
        assert_eq!(
            splits,
            vec![
                ("contoso".to_owned(), "demo-reseller"),
                ("contoso-demo".to_owned(), "reseller"),
            ]
        );
    }

    #[test]
    fn a_broken_address_is_refused() {
        for raw in [
            "",
            "a-b",
            "contoso demo",
            "contoso_demo-reseller",
            "ç-demo-reseller",
        ] {
            assert!(TenantAddress::parse(raw).is_err(), "{raw:?}");
        }
        assert!(TenantAddress::parse(&"a".repeat(128)).is_err());
    }

    #[test]
    fn a_host_under_the_public_domain_names_an_address_and_nothing_else_does() {
        let domain = PublicDomain::parse("MSP.example.com.").unwrap();
        let address = |host: &str| domain.address_of_host(host).map(|a| a.as_str().to_owned());
        assert_eq!(
            address("contoso-demo-reseller.msp.example.com").as_deref(),
            Some("contoso-demo-reseller")
        );
        assert_eq!(
            address("Contoso-Demo-Reseller.MSP.example.com:8443").as_deref(),
            Some("contoso-demo-reseller")
        );
        assert_eq!(address("msp.example.com"), None);
        assert_eq!(address("a.contoso-demo-reseller.msp.example.com"), None);
        assert_eq!(address("contoso-demo-reseller.evilmsp.example.com"), None);
        assert_eq!(address("contoso-demo-reseller.other.example"), None);
        assert_eq!(address("x.msp.example.com"), None);
    }

    #[test]
    fn a_public_domain_must_be_a_dns_name() {
        for raw in [
            "localhost",
            "",
            "msp..example",
            "-msp.example",
            "msp.example/x",
            "msp example.com",
        ] {
            assert!(PublicDomain::parse(raw).is_err(), "{raw:?}");
        }
        assert_eq!(
            PublicDomain::parse(" msp.example.com ").unwrap().as_str(),
            "msp.example.com"
        );
    }

    #[test]
    fn the_url_is_the_host_with_a_public_domain_and_the_path_without() {
        let address = TenantAddress::parse("contoso-demo-reseller").unwrap();
        assert_eq!(url_of(&address, None), "/t/contoso-demo-reseller");
        let domain = PublicDomain::parse("msp.example.com").unwrap();
        assert_eq!(
            url_of(&address, Some(&domain)),
            "https://contoso-demo-reseller.msp.example.com"
        );
    }
}
