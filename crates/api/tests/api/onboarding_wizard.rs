//! SPEC §5: the wizard's progress, stored per user.

use proto::Claim;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    business::{put_json, reseller, user_without},
    helpers::{PASSWORD, assert_problem, invalid_fields},
};

db_test!(
    progress_starts_not_started_and_resumes_where_it_was_saved,
    |app| async move {
        let reseller = reseller(&app, "Wizard Reseller").await;
        let (_, initial) = app
            .get_json("/api/v1/onboarding-wizard", &reseller.token)
            .await;
        assert_eq!(
            initial,
            json!({ "status": "not_started", "step": 1, "history": [] })
        );
        let saved = json!({ "status": "in_progress", "step": 9, "history": [1, 3] });
        assert_eq!(
            put_json(&app, "/api/v1/onboarding-wizard", &reseller.token, &saved)
                .await
                .status(),
            StatusCode::OK
        );
        let again = app.sign_in(&reseller.admin.email, PASSWORD).await;
        let (_, resumed) = app.get_json("/api/v1/onboarding-wizard", &again).await;
        assert_eq!(resumed, saved);
        assert_eq!(app.me(&again).await["wizard"]["step"], 9);
    }
);

db_test!(
    a_dismissed_wizard_stays_dismissed_on_later_sign_ins,
    |app| async move {
        let reseller = reseller(&app, "Wizard Reseller").await;
        put_json(
            &app,
            "/api/v1/onboarding-wizard",
            &reseller.token,
            &json!({ "status": "dismissed", "step": 4, "history": [1, 2, 3] }),
        )
        .await;
        let later = app.sign_in(&reseller.admin.email, PASSWORD).await;
        assert_eq!(app.me(&later).await["wizard"]["status"], "dismissed");
    }
);

db_test!(
    states_the_wizard_cannot_be_in_are_refused,
    |app| async move {
        let reseller = reseller(&app, "Wizard Reseller").await;
        let cases = [
            (json!({ "status": "completed", "step": 5 }), "status"),
            (json!({ "status": "not_started", "step": 1 }), "status"),
            (json!({ "status": "in_progress", "step": 13 }), "step"),
            (
                json!({ "status": "in_progress", "step": 4, "history": [6] }),
                "history",
            ),
        ];
        for (body, field) in cases {
            let response =
                put_json(&app, "/api/v1/onboarding-wizard", &reseller.token, &body).await;
            assert_eq!(invalid_fields(response).await, vec![field], "{body}");
        }
    }
);

db_test!(
    the_claims_decide_which_steps_can_be_stored,
    |app| async move {
        let reseller = reseller(&app, "Wizard Reseller").await;
        let no_view = user_without(&app, &reseller, Claim::ViewEndpointSettings).await;
        let no_edit = user_without(&app, &reseller, Claim::EditEndpointSettings).await;
        let at_step_two = json!({ "status": "in_progress", "step": 2, "history": [1] });
        assert_problem(
            put_json(&app, "/api/v1/onboarding-wizard", &no_view, &at_step_two).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            put_json(&app, "/api/v1/onboarding-wizard", &no_edit, &at_step_two)
                .await
                .status(),
            StatusCode::OK
        );
        let at_step_three = json!({ "status": "in_progress", "step": 3, "history": [1, 2] });
        assert_problem(
            put_json(&app, "/api/v1/onboarding-wizard", &no_edit, &at_step_three).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
);

db_test!(
    without_manage_customer_settings_there_is_no_wizard,
    |app| async move {
        let reseller = reseller(&app, "Wizard Reseller").await;
        let without = user_without(&app, &reseller, Claim::ManageCustomerSettings).await;
        assert_problem(
            app.get("/api/v1/onboarding-wizard", &without).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let body = json!({ "status": "in_progress", "step": 1 });
        assert_problem(
            put_json(&app, "/api/v1/onboarding-wizard", &without, &body).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
);
