//! Match suggestions for 10 000 Azure sub-tenants against 100 000 customers (issue 19: under
//! 50 ms). The customers' names come from the search bench's generator of real-looking company
//! names; a third of the sub-tenants are customers under a slightly different name or with the
//! customer's domain, a tenth are linked already, the rest are new.
//! `cargo bench -p msp-domain --bench customer_matching`

#[path = "../../api/benches/support/names.rs"]
#[allow(dead_code)]
mod names;

use std::{collections::HashSet, time::Instant};

use msp_domain::{KnownCustomer, MatchBasis, SubTenantFacts, suggest_matches};
use names::{NameGenerator, describe, unique_names};
use uuid::Uuid;

const CUSTOMERS: usize = 100_000;
const SUB_TENANTS: usize = 10_000;
const RUNS: usize = 25;

struct Customer {
    id: Uuid,
    name: String,
    email: String,
    azure_tenant_id: Option<String>,
}

struct SubTenant {
    tenant_id: String,
    name: String,
    domains: Vec<String>,
}

/// A domain as a company would register it: its name's first two words, letters only.
fn domain_of(name: &str) -> String {
    let slug: String = name
        .split_whitespace()
        .take(2)
        .flat_map(|word| word.chars().filter(char::is_ascii_alphanumeric))
        .collect::<String>()
        .to_lowercase();
    format!("{slug}.example")
}

/// The name Azure would show for a customer made by hand: another legal form, other case or
/// punctuation.
fn as_azure_names_it(name: &str, variant: usize) -> String {
    let body = name
        .trim_end_matches(" Ltd")
        .trim_end_matches(" Inc")
        .trim_end_matches(" LLC");
    match variant % 4 {
        0 => format!("{body} Limited"),
        1 => format!("{}, Inc.", body.to_uppercase()),
        2 => body.to_owned(),
        _ => format!("{body} LLC"),
    }
}

fn main() {
    let names = unique_names(7, CUSTOMERS);
    eprintln!("customer names: {}", describe(&names));
    let mut random = NameGenerator::new(11);
    let public_mail = ["gmail.com", "outlook.com", "hotmail.co.uk"];
    let customers: Vec<Customer> = names
        .into_iter()
        .enumerate()
        .map(|(n, name)| {
            let email = if random.below(10) == 0 {
                format!("owner{n}@{}", public_mail[random.below(3)])
            } else {
                format!("it@{}", domain_of(&name))
            };
            let azure_tenant_id =
                (random.below(5) == 0).then(|| Uuid::from_u128(random.next().into()).to_string());
            Customer {
                id: Uuid::from_u128(u128::from(random.next()) << 64 | n as u128),
                name,
                email,
                azure_tenant_id,
            }
        })
        .collect();

    let newcomers = unique_names(99, SUB_TENANTS);
    let sub_tenants: Vec<SubTenant> = (0..SUB_TENANTS)
        .map(|n| {
            let fresh_id = Uuid::from_u128(u128::from(random.next()) << 64 | n as u128).to_string();
            let known = &customers[random.below(CUSTOMERS)];
            match n % 10 {
                0..=2 => SubTenant {
                    tenant_id: fresh_id,
                    name: as_azure_names_it(&known.name, n),
                    domains: if n % 2 == 0 {
                        vec![
                            format!(
                                "{}.onmicrosoft.com",
                                domain_of(&known.name).replace('.', "")
                            ),
                            known
                                .email
                                .rsplit('@')
                                .next()
                                .unwrap_or_default()
                                .to_owned(),
                        ]
                    } else {
                        vec![format!(
                            "{}.onmicrosoft.com",
                            domain_of(&known.name).replace('.', "")
                        )]
                    },
                },
                3 => SubTenant {
                    tenant_id: known
                        .azure_tenant_id
                        .as_deref()
                        .map(str::to_uppercase)
                        .unwrap_or(fresh_id),
                    name: known.name.clone(),
                    domains: Vec::new(),
                },
                _ => SubTenant {
                    tenant_id: fresh_id,
                    domains: vec![format!(
                        "{}.onmicrosoft.com",
                        domain_of(&newcomers[n]).replace('.', "")
                    )],
                    name: newcomers[n].clone(),
                },
            }
        })
        .collect();

    let facts: Vec<SubTenantFacts> = sub_tenants
        .iter()
        .map(|t| SubTenantFacts {
            tenant_id: &t.tenant_id,
            name: &t.name,
            domains: &t.domains,
        })
        .collect();
    let rejected: HashSet<(String, Uuid)> = HashSet::new();
    let mut times = Vec::with_capacity(RUNS);
    let mut found = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        found = suggest_matches(
            &facts,
            customers.iter().map(|c| KnownCustomer {
                id: c.id,
                name: &c.name,
                email: &c.email,
                azure_tenant_id: c.azure_tenant_id.as_deref(),
            }),
            &rejected,
        );
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let count = |basis| found.iter().flatten().filter(|m| m.basis == basis).count();
    println!(
        "match suggestions, {SUB_TENANTS} sub-tenants x {CUSTOMERS} customers, {RUNS} runs: \
         median {:.1} ms, max {:.1} ms (target < 50 ms)",
        times[RUNS / 2],
        times[RUNS - 1]
    );
    println!(
        "suggested: {} by tenant ID, {} by domain, {} by name, {} none",
        count(MatchBasis::TenantId),
        count(MatchBasis::Domain),
        count(MatchBasis::Name),
        found.iter().filter(|m| m.is_none()).count()
    );
}
