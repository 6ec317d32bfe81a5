//! Which existing customer an Azure sub-tenant most likely is. MSPs adopting the product already
//! have customers made by hand, often named a little differently from Azure ("Contoso Ltd" here,
//! "Contoso Limited" there); a suggestion lets them link the two instead of creating a twin.
//!
//! A sub-tenant matches, in this order of trust: the customer that already carries its Azure
//! tenant ID; the one unlinked customer whose e-mail domain is one of the sub-tenant's verified
//! domains; the one unlinked customer whose name is the same once case, punctuation and legal
//! forms are set aside. A basis that points at two customers suggests neither: a wrong link is
//! worse than none.

use std::collections::{HashMap, HashSet};

pub use proto::MatchBasis;
use uuid::Uuid;

/// Words that only say what legal form a company has, compared after case folding and with the
/// dots removed ("G.m.b.H." is `gmbh`). Trailing ones are set aside when names are compared, so
/// "Contoso Ltd", "Contoso Limited" and "CONTOSO, Inc." are the same name.
pub const LEGAL_FORM_WORDS: &[&str] = &[
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "mbh",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "pty",
    "co",
    "company",
    "corp",
    "corporation",
    "oy",
    "ab",
    "as",
    "aps",
    "kk",
];

/// A customer as matching sees it.
#[derive(Debug, Clone, Copy)]
pub struct KnownCustomer<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub email: &'a str,
    pub azure_tenant_id: Option<&'a str>,
}

/// A sub-tenant as matching sees it: its ID, its name and its verified domains.
#[derive(Debug, Clone, Copy)]
pub struct SubTenantFacts<'a> {
    pub tenant_id: &'a str,
    pub name: &'a str,
    pub domains: &'a [String],
}

/// The customer suggested for a sub-tenant, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuggestedMatch {
    pub customer_id: Uuid,
    pub basis: MatchBasis,
}

/// `name` as names are compared: lower-case, `&` read as "and", dots and apostrophes dropped
/// inside words ("S.A.", "O'Brien"), other punctuation a space, trailing legal forms set aside
/// (but never the whole name: a company called "Co" stays "co").
pub fn comparable_name(name: &str) -> String {
    let mut comparable = String::with_capacity(name.len());
    write_comparable_name(name, &mut comparable);
    comparable
}

/// [`comparable_name`] into `out` (cleared first), so that a loop over many names reuses one
/// buffer.
fn write_comparable_name(name: &str, out: &mut String) {
    out.clear();
    // A space is written only before the next word, so none leads, trails or doubles.
    let mut between_words = false;
    let push = |out: &mut String, between_words: &mut bool, letter: char| {
        if std::mem::take(between_words) && !out.is_empty() {
            out.push(' ');
        }
        out.push(letter);
    };
    for character in name.chars() {
        match character {
            '.' | '\'' | '’' => {}
            '&' => {
                between_words = true;
                for letter in "and".chars() {
                    push(out, &mut between_words, letter);
                }
                between_words = true;
            }
            c if c.is_ascii_alphanumeric() => {
                push(out, &mut between_words, c.to_ascii_lowercase());
            }
            c if c.is_alphanumeric() => {
                for letter in c.to_lowercase() {
                    push(out, &mut between_words, letter);
                }
            }
            _ => between_words = true,
        }
    }
    while let Some((rest, last)) = out.rsplit_once(' ') {
        if !LEGAL_FORM_WORDS.contains(&last) {
            break;
        }
        let kept = rest.len();
        out.truncate(kept);
    }
}

/// The domain of an e-mail address, lower-case, if it has one.
pub fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// What one basis says about a key: nobody, exactly one customer, or several (and so nobody).
#[derive(Debug, Clone, Copy)]
enum Claimant {
    One(Uuid),
    Several,
}

fn claim(map: &mut HashMap<String, Claimant>, key: String, id: Uuid) {
    map.entry(key)
        .and_modify(|claimant| *claimant = Claimant::Several)
        .or_insert(Claimant::One(id));
}

/// The best existing customer for each sub-tenant, in the sub-tenants' order; `None` where none
/// qualifies. `rejected` holds the (lower-case tenant ID, customer) pairs a user turned down
/// ("Not this one"): such a pair is never suggested again, and the next basis is tried.
///
/// Only the sub-tenants' keys are indexed, so the customers are read once, whatever their number.
pub fn suggest_matches<'a>(
    sub_tenants: &[SubTenantFacts<'_>],
    customers: impl IntoIterator<Item = KnownCustomer<'a>>,
    rejected: &HashSet<(String, Uuid)>,
) -> Vec<Option<SuggestedMatch>> {
    let tenant_ids: Vec<String> = sub_tenants
        .iter()
        .map(|sub_tenant| sub_tenant.tenant_id.trim().to_ascii_lowercase())
        .collect();
    let wanted_ids: HashSet<&str> = tenant_ids.iter().map(String::as_str).collect();
    let wanted_domains: HashSet<String> = sub_tenants
        .iter()
        .flat_map(|sub_tenant| sub_tenant.domains.iter().map(|d| d.to_lowercase()))
        .collect();
    let names: Vec<String> = sub_tenants
        .iter()
        .map(|sub_tenant| comparable_name(sub_tenant.name))
        .collect();
    let wanted_names: HashSet<&str> = names.iter().map(String::as_str).collect();

    let mut by_tenant_id = HashMap::new();
    let mut by_domain = HashMap::new();
    let mut by_name = HashMap::new();
    let [mut name_buffer, mut domain_buffer, mut id_buffer] = [const { String::new() }; 3];
    for customer in customers {
        if let Some(linked) = customer.azure_tenant_id {
            id_buffer.clear();
            id_buffer.push_str(linked.trim());
            id_buffer.make_ascii_lowercase();
            if wanted_ids.contains(id_buffer.as_str()) {
                claim(&mut by_tenant_id, id_buffer.clone(), customer.id);
            }
            // A customer linked to some Azure tenant is not another sub-tenant's.
            continue;
        }
        if let Some((_, domain)) = customer.email.trim().rsplit_once('@') {
            let domain = domain.trim_end_matches('.');
            domain_buffer.clear();
            if domain.is_ascii() {
                domain_buffer.push_str(domain);
                domain_buffer.make_ascii_lowercase();
            } else {
                domain_buffer.push_str(&domain.to_lowercase());
            }
            if wanted_domains.contains(domain_buffer.as_str()) {
                claim(&mut by_domain, domain_buffer.clone(), customer.id);
            }
        }
        write_comparable_name(customer.name, &mut name_buffer);
        if wanted_names.contains(name_buffer.as_str()) {
            claim(&mut by_name, name_buffer.clone(), customer.id);
        }
    }

    sub_tenants
        .iter()
        .zip(tenant_ids.iter().zip(&names))
        .map(|(sub_tenant, (tenant_id, name))| {
            let allowed = |id: Uuid| !rejected.contains(&(tenant_id.clone(), id));
            let one = |claimant: Option<&Claimant>| match claimant {
                Some(Claimant::One(id)) if allowed(*id) => Some(*id),
                _ => None,
            };
            let suggestion = |basis, id: Option<Uuid>| {
                id.map(|customer_id| SuggestedMatch { customer_id, basis })
            };
            // The tenant ID is a link already made, not a guess: a rejection does not undo it.
            if let Some(Claimant::One(id)) = by_tenant_id.get(tenant_id) {
                return Some(SuggestedMatch {
                    customer_id: *id,
                    basis: MatchBasis::TenantId,
                });
            }
            let by_domains = sub_tenant
                .domains
                .iter()
                .find_map(|domain| one(by_domain.get(&domain.to_lowercase())));
            suggestion(MatchBasis::Domain, by_domains)
                .or_else(|| suggestion(MatchBasis::Name, one(by_name.get(name))))
        })
        .collect()
}

#[cfg(test)]
#[path = "customer_matching_tests.rs"]
mod tests;
