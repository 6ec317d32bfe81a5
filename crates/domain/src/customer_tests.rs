use proto::{CreateCustomer, LicensingOption as L, UpdateCustomer};

use super::*;

fn terms(distribution: bool) -> ResellerTerms {
    ResellerTerms {
        licensing_options: L::ALL
            .into_iter()
            .filter(|option| *option != L::PrivilegedAccess)
            .collect(),
        master_gp_distribution: distribution,
    }
}

fn valid() -> CreateCustomer {
    CreateCustomer {
        name: Some("  Contoso Ltd ".to_owned()),
        total_licenses: Some(25),
        email: Some("it@contoso.example".to_owned()),
        ..CreateCustomer::default()
    }
}

fn codes(result: Result<CustomerDraft, Vec<proto::FieldError>>) -> Vec<(String, String)> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

#[test]
fn a_valid_customer_gets_the_defaults_of_section_7() {
    let draft = CustomerDraft::parse(&valid(), &terms(false)).unwrap();
    assert_eq!(draft.name.as_str(), "Contoso Ltd");
    assert!(draft.monthly_billing, "monthly billing is on by default");
    assert!(!draft.spla && !draft.opt_in_master_gp);
    assert_eq!(draft.details, None);
    assert_eq!(draft.total_licenses.value(), 25);
}

#[test]
fn each_broken_rule_is_reported_on_its_field() {
    let cases: Vec<(CreateCustomer, &str, &str)> = vec![
        (
            CreateCustomer {
                name: None,
                ..valid()
            },
            "name",
            "required",
        ),
        (
            CreateCustomer {
                name: Some("A/B".into()),
                ..valid()
            },
            "name",
            "forbidden_character",
        ),
        (
            CreateCustomer {
                name: Some("A\\B".into()),
                ..valid()
            },
            "name",
            "forbidden_character",
        ),
        (
            CreateCustomer {
                name: Some("A+B".into()),
                ..valid()
            },
            "name",
            "forbidden_character",
        ),
        (
            CreateCustomer {
                name: Some("x".repeat(101)),
                ..valid()
            },
            "name",
            "too_long",
        ),
        (
            CreateCustomer {
                total_licenses: None,
                ..valid()
            },
            "total_licenses",
            "required",
        ),
        (
            CreateCustomer {
                total_licenses: Some(0),
                ..valid()
            },
            "total_licenses",
            "out_of_range",
        ),
        (
            CreateCustomer {
                total_licenses: Some(-3),
                ..valid()
            },
            "total_licenses",
            "out_of_range",
        ),
        (
            CreateCustomer {
                email: None,
                ..valid()
            },
            "email",
            "required",
        ),
        (
            CreateCustomer {
                email: Some("not-an-address".into()),
                ..valid()
            },
            "email",
            "invalid_email",
        ),
        (
            CreateCustomer {
                details: Some("d".repeat(2001)),
                ..valid()
            },
            "details",
            "too_long",
        ),
        (
            CreateCustomer {
                licensing_options: vec![L::PrivilegedAccess],
                ..valid()
            },
            "licensing_options",
            "not_held_by_reseller",
        ),
        (
            CreateCustomer {
                licensing_options: vec![L::EmailSecurity365, L::Atp],
                ..valid()
            },
            "licensing_options",
            "mutually_exclusive",
        ),
        (
            CreateCustomer {
                licensing_options: vec![L::TacUiM365UserSecurity],
                ..valid()
            },
            "licensing_options",
            "requires_mxdr",
        ),
        (
            CreateCustomer {
                opt_in_master_gp: true,
                ..valid()
            },
            "opt_in_master_gp",
            "distribution_off",
        ),
        (
            CreateCustomer {
                azure_tenant_id: Some("nope".into()),
                ..valid()
            },
            "azure_tenant_id",
            "invalid_guid",
        ),
    ];
    for (input, field, code) in cases {
        assert_eq!(
            codes(CustomerDraft::parse(&input, &terms(false))),
            vec![(field.to_owned(), code.to_owned())],
            "{field} {code}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let empty = CreateCustomer::default();
    let fields: Vec<String> = codes(CustomerDraft::parse(&empty, &terms(false)))
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    assert_eq!(fields, vec!["name", "total_licenses", "email"]);
}

#[test]
fn opting_in_needs_distribution_and_mxdr_brings_tac() {
    let input = CreateCustomer {
        opt_in_master_gp: true,
        licensing_options: vec![L::Mxdr],
        ..valid()
    };
    let draft = CustomerDraft::parse(&input, &terms(true)).unwrap();
    assert!(draft.opt_in_master_gp);
    assert!(draft.licensing.contains(L::Tac));
    let details = CustomerDraft::parse(
        &CreateCustomer {
            details: Some(" notes ".into()),
            ..valid()
        },
        &terms(true),
    )
    .unwrap();
    assert_eq!(
        details.details.map(|details| details.as_str().to_owned()),
        Some("notes".to_owned())
    );
}

#[test]
fn a_patch_checks_only_the_fields_it_carries() {
    let nothing = CustomerChanges::parse(&UpdateCustomer::default(), &terms(false)).unwrap();
    assert!(
        nothing.name.is_none() && nothing.total_licenses.is_none() && nothing.licensing.is_none()
    );
    let cleared = CustomerChanges::parse(
        &UpdateCustomer {
            details: Some(String::new()),
            azure_tenant_id: Some(String::new()),
            ..UpdateCustomer::default()
        },
        &terms(false),
    )
    .unwrap();
    assert_eq!(cleared.details, Some(None));
    assert_eq!(cleared.azure_tenant_id, Some(None));
    let broken = CustomerChanges::parse(
        &UpdateCustomer {
            name: Some("a+b".into()),
            total_licenses: Some(0),
            ..UpdateCustomer::default()
        },
        &terms(false),
    )
    .err()
    .unwrap();
    let fields: Vec<&str> = broken.iter().map(|error| error.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "total_licenses"]);
}

#[test]
fn a_new_customer_may_name_its_tenant_and_display_name_or_leave_them_derived() {
    let derived = CustomerDraft::parse(&valid(), &terms(false)).unwrap();
    assert!(derived.tenant_name.is_none() && derived.display_name.is_none());
    let named = CustomerDraft::parse(
        &CreateCustomer {
            tenant_name: Some(" contoso-east ".to_owned()),
            display_name: Some("  Contoso (East) ".to_owned()),
            ..valid()
        },
        &terms(false),
    )
    .unwrap();
    assert_eq!(named.tenant_name.unwrap().as_str(), "contoso-east");
    assert_eq!(named.display_name.unwrap().as_str(), "Contoso (East)");
}

#[test]
fn a_new_customer_with_a_broken_tenant_name_or_blank_display_name_is_refused_on_that_field() {
    let refused = codes(CustomerDraft::parse(
        &CreateCustomer {
            tenant_name: Some("Contoso East".to_owned()),
            display_name: Some("   ".to_owned()),
            ..valid()
        },
        &terms(false),
    ));
    assert_eq!(
        refused,
        vec![
            ("tenant_name".to_owned(), "invalid".to_owned()),
            ("display_name".to_owned(), "required".to_owned()),
        ]
    );
}
