use super::*;

#[test]
fn names_compare_equal_without_case_punctuation_and_legal_forms() {
    let same = [
        ("Contoso Ltd", "Contoso Limited"),
        ("Contoso Ltd", "contoso"),
        ("CONTOSO, Inc.", "Contoso Incorporated"),
        ("Fabrikam LLC", "Fabrikam"),
        ("Müller Bäckerei GmbH", "MÜLLER BÄCKEREI G.m.b.H."),
        ("Litware S.A.", "Litware SA"),
        ("Northwind Pty Ltd", "Northwind Pty. Limited"),
        ("Tailspin Co.", "Tailspin Company"),
        ("Adatum Corp", "Adatum Corporation"),
        ("Woodgrove B.V.", "Woodgrove BV"),
        ("Smith & Sons Ltd", "Smith and Sons Limited"),
        ("O'Brien Plumbing", "OBrien Plumbing"),
        ("  Blue   Yonder   AG ", "Blue Yonder"),
        ("Proseware, Inc.", "Proseware Inc"),
        ("Alpine Ski House Oy", "alpine-ski-house"),
    ];
    for (left, right) in same {
        assert_eq!(
            comparable_name(left),
            comparable_name(right),
            "{left:?} and {right:?} should compare equal"
        );
    }
}

#[test]
fn names_that_differ_in_a_word_that_is_not_a_legal_form_stay_apart() {
    let different = [
        ("Contoso Ltd", "Contoso Dental Ltd"),
        ("Northern Dental", "Southern Dental"),
        ("Ltd Holdings", "Holdings"),
        ("Co", "Inc"),
    ];
    for (left, right) in different {
        assert_ne!(
            comparable_name(left),
            comparable_name(right),
            "{left:?} and {right:?} should stay apart"
        );
    }
}

#[test]
fn a_name_made_only_of_legal_forms_keeps_its_first_word() {
    assert_eq!(comparable_name("Co Ltd"), "co");
    assert_eq!(comparable_name("Inc."), "inc");
    assert_eq!(comparable_name(""), "");
}

#[test]
fn legal_forms_inside_a_name_are_kept() {
    assert_eq!(
        comparable_name("Limited Edition Prints Ltd"),
        "limited edition prints"
    );
    assert_eq!(comparable_name("AB Testing Labs AB"), "ab testing labs");
}

#[test]
fn an_email_domain_is_read_lower_case() {
    assert_eq!(
        email_domain("IT@Contoso.Example"),
        Some("contoso.example".into())
    );
    assert_eq!(
        email_domain(" a@b@fabrikam.com "),
        Some("fabrikam.com".into())
    );
    assert_eq!(email_domain("nobody"), None);
    assert_eq!(email_domain("nobody@"), None);
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn customer<'a>(n: u128, name: &'a str, email: &'a str) -> KnownCustomer<'a> {
    KnownCustomer {
        id: id(n),
        name,
        email,
        azure_tenant_id: None,
    }
}

struct Case {
    what: &'static str,
    sub_tenant: (&'static str, &'static str, &'static [&'static str]),
    customers: Vec<KnownCustomer<'static>>,
    rejected: &'static [(&'static str, u128)],
    expected: Option<(u128, MatchBasis)>,
}

fn run(case: &Case) -> Option<SuggestedMatch> {
    let (tenant_id, name, domains) = case.sub_tenant;
    let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
    let rejected = case
        .rejected
        .iter()
        .map(|(tenant, n)| ((*tenant).to_owned(), id(*n)))
        .collect();
    let facts = [SubTenantFacts {
        tenant_id,
        name,
        domains: &domains,
    }];
    suggest_matches(&facts, case.customers.iter().copied(), &rejected)
        .into_iter()
        .next()
        .flatten()
}

const T1: &str = "0f6e2c1a-1111-4a5b-9c3d-000000000001";
const T2: &str = "0f6e2c1a-1111-4a5b-9c3d-000000000002";

#[test]
fn each_basis_suggests_the_customer_it_points_at_in_order_of_trust() {
    let linked = KnownCustomer {
        azure_tenant_id: Some("0F6E2C1A-1111-4A5B-9C3D-000000000001"),
        ..customer(1, "Something Else", "it@else.example")
    };
    let cases = [
        Case {
            what: "tenant ID beats domain and name, in any case",
            sub_tenant: (T1, "Contoso Limited", &["contoso.com"]),
            customers: vec![linked, customer(2, "Contoso Ltd", "it@contoso.com")],
            rejected: &[],
            expected: Some((1, MatchBasis::TenantId)),
        },
        Case {
            what: "domain beats name",
            sub_tenant: (
                T1,
                "Contoso Limited",
                &["contoso.onmicrosoft.com", "contoso.com"],
            ),
            customers: vec![
                customer(2, "Contoso Ltd", "it@elsewhere.example"),
                customer(3, "Contoso Holdings", "IT@Contoso.com"),
            ],
            rejected: &[],
            expected: Some((3, MatchBasis::Domain)),
        },
        Case {
            what: "name after legal forms",
            sub_tenant: (T1, "Contoso Limited", &["contoso.onmicrosoft.com"]),
            customers: vec![customer(2, "CONTOSO, Ltd.", "it@elsewhere.example")],
            rejected: &[],
            expected: Some((2, MatchBasis::Name)),
        },
        Case {
            what: "a customer linked to another Azure tenant is no candidate",
            sub_tenant: (T2, "Contoso Limited", &["contoso.com"]),
            customers: vec![KnownCustomer {
                azure_tenant_id: Some(T1),
                ..customer(2, "Contoso Ltd", "it@contoso.com")
            }],
            rejected: &[],
            expected: None,
        },
        Case {
            what: "two customers on one domain suggest neither, the name decides",
            sub_tenant: (T1, "Fabrikam Inc", &["gmail.com"]),
            customers: vec![
                customer(2, "Fabrikam", "owner@gmail.com"),
                customer(3, "Litware", "boss@gmail.com"),
            ],
            rejected: &[],
            expected: Some((2, MatchBasis::Name)),
        },
        Case {
            what: "two customers with one comparable name suggest neither",
            sub_tenant: (T1, "Contoso", &[]),
            customers: vec![
                customer(2, "Contoso Ltd", "a@one.example"),
                customer(3, "Contoso Inc", "b@two.example"),
            ],
            rejected: &[],
            expected: None,
        },
        Case {
            what: "a rejected domain match falls back to the name",
            sub_tenant: (T1, "Contoso Limited", &["contoso.com"]),
            customers: vec![
                customer(2, "Contoso Holdings", "it@contoso.com"),
                customer(3, "Contoso Ltd", "it@else.example"),
            ],
            rejected: &[(T1, 2)],
            expected: Some((3, MatchBasis::Name)),
        },
        Case {
            what: "a rejection is per sub-tenant",
            sub_tenant: (T1, "Contoso Limited", &[]),
            customers: vec![customer(3, "Contoso Ltd", "it@else.example")],
            rejected: &[(T2, 3)],
            expected: Some((3, MatchBasis::Name)),
        },
        Case {
            what: "a rejected name match leaves nothing",
            sub_tenant: (T1, "Contoso Limited", &[]),
            customers: vec![customer(3, "Contoso Ltd", "it@else.example")],
            rejected: &[(T1, 3)],
            expected: None,
        },
        Case {
            what: "different names and domains match nothing",
            sub_tenant: (T1, "Northern Dental Ltd", &["northerndental.com"]),
            customers: vec![customer(2, "Southern Dental Ltd", "it@southerndental.com")],
            rejected: &[],
            expected: None,
        },
    ];
    for case in &cases {
        let expected = case.expected.map(|(n, basis)| SuggestedMatch {
            customer_id: id(n),
            basis,
        });
        assert_eq!(run(case), expected, "{}", case.what);
    }
}

#[test]
fn suggestions_come_in_the_sub_tenants_order() {
    let domains = [
        vec!["a.example".to_owned()],
        vec![],
        vec!["c.example".to_owned()],
    ];
    let facts = [
        SubTenantFacts {
            tenant_id: T1,
            name: "Alpha",
            domains: &domains[0],
        },
        SubTenantFacts {
            tenant_id: T2,
            name: "Nobody Here",
            domains: &domains[1],
        },
        SubTenantFacts {
            tenant_id: "0f6e2c1a-1111-4a5b-9c3d-000000000003",
            name: "Gamma Ltd",
            domains: &domains[2],
        },
    ];
    let customers = [
        customer(7, "Gamma Limited", "x@other.example"),
        customer(8, "Alpha Consulting", "it@a.example"),
    ];
    let found = suggest_matches(&facts, customers, &HashSet::new());
    assert_eq!(
        found,
        vec![
            Some(SuggestedMatch {
                customer_id: id(8),
                basis: MatchBasis::Domain
            }),
            None,
            Some(SuggestedMatch {
                customer_id: id(7),
                basis: MatchBasis::Name
            }),
        ]
    );
}
