CREATE TABLE "artifacts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"dtype" text NOT NULL,
	"shape" jsonb NOT NULL,
	"bytes" bigint NOT NULL,
	"uri" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"spec" jsonb NOT NULL,
	"spec_hash" text NOT NULL,
	"seed" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"total_runs" integer DEFAULT 0 NOT NULL,
	"completed_runs" integer DEFAULT 0 NOT NULL,
	"failed_runs" integer DEFAULT 0 NOT NULL,
	"cancelled_runs" integer DEFAULT 0 NOT NULL,
	"queue" text,
	"routing" text,
	"workflow_id" text,
	"parent_id" text,
	"stage_hash" text,
	"results" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"source" text NOT NULL,
	"pairing" text,
	"preset" text,
	"size" integer NOT NULL,
	"split" jsonb NOT NULL,
	"meta" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inversion_results" (
	"campaign_id" text NOT NULL,
	"scenario" integer NOT NULL,
	"method" text NOT NULL,
	"npc" integer NOT NULL,
	"repeat" integer DEFAULT 0 NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"forward_calls" integer NOT NULL,
	"wall_ms" double precision NOT NULL,
	"final_objective" double precision NOT NULL,
	"objective_curve" real[] NOT NULL,
	"estimate" real[] NOT NULL,
	"truth" real[] NOT NULL,
	"calib_rmse" double precision,
	"calib_r2" double precision,
	"valid_rmse" double precision,
	"valid_r2" double precision,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inversion_results_campaign_id_scenario_method_npc_repeat_variant_pk" PRIMARY KEY("campaign_id","scenario","method","npc","repeat","variant")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"split" text DEFAULT '' NOT NULL,
	"step" integer DEFAULT -1 NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"arch" text NOT NULL,
	"variable" text,
	"repeat" integer DEFAULT 0 NOT NULL,
	"hyperparams" jsonb NOT NULL,
	"backend" text NOT NULL,
	"artifact_id" text,
	"params_count" integer DEFAULT 0 NOT NULL,
	"train_seconds" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "predictions" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"run_index" integer NOT NULL,
	"variable" text NOT NULL,
	"model_id" text,
	"artifact_id" text NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "progress_samples" (
	"campaign_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed" integer NOT NULL,
	"failed" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"campaign_id" text NOT NULL,
	"run_index" integer NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"worker" text,
	"backend" text,
	"output" jsonb,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" double precision,
	"error" text,
	CONSTRAINT "runs_campaign_id_run_index_pk" PRIMARY KEY("campaign_id","run_index")
);
--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE INDEX "campaigns_stage_hash_idx" ON "campaigns" USING btree ("stage_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "metrics_key" ON "metrics" USING btree ("owner_type","owner_id","name","split","step");--> statement-breakpoint
CREATE UNIQUE INDEX "predictions_key" ON "predictions" USING btree ("campaign_id","run_index","variable");--> statement-breakpoint
CREATE INDEX "progress_samples_idx" ON "progress_samples" USING btree ("campaign_id","at");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("campaign_id","status");