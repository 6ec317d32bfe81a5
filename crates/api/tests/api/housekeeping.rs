//! Rows that only matter for a while are deleted: sign-in throttle counters whose window and
//! lock have passed, idempotency records older than a day, sessions ended a day ago, job runs
//! older than a week.

use chrono::{Duration, Utc};
use entity::{idempotency_record, job_run, login_throttle, session};
use msp_api::services::{housekeeping, sign_in::throttle::ThrottlePolicy};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
use serde_json::json;
use uuid::Uuid;

use crate::{business::reseller, helpers::PASSWORD};

db_test!(
    expired_throttle_idempotency_and_session_rows_are_deleted_and_live_ones_kept,
    |app| async move {
        let shop = reseller(&app, "Acme Reseller").await;
        let now = Utc::now();
        for (key, started, locked) in [
            ("account:old@acme.test", now - Duration::hours(2), None),
            ("account:recent@acme.test", now - Duration::minutes(1), None),
            (
                "account:locked@acme.test",
                now - Duration::hours(2),
                Some(now + Duration::minutes(5)),
            ),
        ] {
            login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(3),
                window_started_at: Set(started),
                locked_until: Set(locked),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        for (key, age) in [("old", Duration::hours(25)), ("recent", Duration::hours(1))] {
            idempotency_record::ActiveModel {
                user_id: Set(shop.admin.id),
                key: Set(key.to_owned()),
                request_hash: Set("0".repeat(64)),
                response_status: Set(201),
                response_body: Set("{}".to_owned()),
                created_at: Set(now - age),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let ended = session::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(shop.admin.id),
            created_at: Set(now - Duration::days(3)),
            expires_at: Set(now - Duration::days(2)),
            revoked_at: Set(None),
            enrolment_pending: Set(false),
            source_ip: Set(None),
            customer_tenant_id: Set(None),
            parent_session_id: Set(None),
        };
        ended.insert(&app.db).await.unwrap();
        let live_sessions_before = session::Entity::find().count(&app.db).await.unwrap() - 1;
        for (started, finished) in [(8, Some(8)), (1, Some(1)), (8, None)] {
            job_run::ActiveModel {
                id: Set(Uuid::new_v4()),
                job_name: Set("housekeeping".to_owned()),
                scheduled_for: Set(now - Duration::days(started)),
                runner: Set("a replica long gone".to_owned()),
                started_at: Set(now - Duration::days(started)),
                finished_at: Set(finished.map(|days| now - Duration::days(days))),
                outcome: Set(finished.map(|_| "succeeded".to_owned())),
                error: Set(None),
            }
            .insert(&app.db)
            .await
            .unwrap();
        }

        let purged = housekeeping::purge_expired(&app.db, &ThrottlePolicy::default())
            .await
            .unwrap();

        assert_eq!(
            purged,
            housekeeping::Purged {
                throttle_rows: 1,
                idempotency_records: 1,
                sessions: 1,
                provisioning_calls: 0,
                job_runs: 1,
            }
        );
        let keys: Vec<String> = login_throttle::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.key)
            .collect();
        assert!(
            keys.contains(&"account:recent@acme.test".to_owned()),
            "{keys:?}"
        );
        assert!(
            keys.contains(&"account:locked@acme.test".to_owned()),
            "{keys:?}"
        );
        let records = idempotency_record::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            records.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["recent"]
        );
        assert_eq!(
            session::Entity::find().count(&app.db).await.unwrap(),
            live_sessions_before
        );
        let me = app.me(&shop.token).await;
        assert_eq!(me["user"]["id"], json!(shop.admin.id.to_string()));
        app.sign_in(&shop.admin.email, PASSWORD).await;
    }
);
