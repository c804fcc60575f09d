-- Documented views for the common questions (see dashboard/README.md), and a read-only role.
-- Views are recreated with CREATE OR REPLACE so later migrations can extend them.

-- One row per run, with its campaign's kind and name.
CREATE OR REPLACE VIEW v_runs AS
SELECT r.campaign_id,
       c.name AS campaign_name,
       c.kind,
       r.run_index,
       r.status,
       r.attempt,
       r.worker,
       r.backend,
       r.params,
       r.output,
       r.started_at,
       r.finished_at,
       r.duration_ms,
       r.error
FROM runs r
JOIN campaigns c ON c.id = r.campaign_id;
--> statement-breakpoint

-- One row per (model, metric, split, step): metrics rows owned by a model (owner_type = 'model').
CREATE OR REPLACE VIEW v_model_metrics AS
SELECT m.campaign_id,
       m.id AS model_id,
       m.arch,
       m.variable,
       m.repeat,
       m.backend,
       m.params_count,
       m.train_seconds,
       x.name AS metric,
       x.split,
       x.step,
       x.value
FROM models m
JOIN metrics x ON x.owner_type = 'model' AND x.owner_id = m.id;
--> statement-breakpoint

-- One row per (campaign, method, npc, variant): mean and spread over scenarios and repeats.
CREATE OR REPLACE VIEW v_inversion_summary AS
SELECT campaign_id,
       method,
       npc,
       variant,
       count(*)::int AS n,
       avg(final_objective) AS objective_mean,
       coalesce(stddev_samp(final_objective), 0) AS objective_std,
       avg(forward_calls)::double precision AS forward_calls_mean,
       avg(wall_ms) AS wall_ms_mean,
       avg(calib_rmse) AS calib_rmse_mean,
       avg(calib_r2) AS calib_r2_mean,
       avg(valid_rmse) AS valid_rmse_mean,
       coalesce(stddev_samp(valid_rmse), 0) AS valid_rmse_std,
       avg(valid_r2) AS valid_r2_mean
FROM inversion_results
GROUP BY campaign_id, method, npc, variant;
--> statement-breakpoint

-- plume_reader: the role the read-only query endpoint switches to (SET LOCAL ROLE). Created only if
-- the migrating user may create roles; otherwise a notice says what an administrator should run.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plume_reader') THEN
    CREATE ROLE plume_reader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'plume: cannot create role plume_reader (%); ask an administrator to run: CREATE ROLE plume_reader NOLOGIN; GRANT plume_reader TO %', SQLERRM, current_user;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plume_reader') THEN
    EXECUTE 'GRANT USAGE ON SCHEMA public TO plume_reader';
    EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO plume_reader';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO plume_reader';
    IF NOT pg_has_role(current_user, 'plume_reader', 'MEMBER') THEN
      EXECUTE format('GRANT plume_reader TO %I', current_user);
    END IF;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'plume: cannot grant to plume_reader (%)', SQLERRM;
END $$;
