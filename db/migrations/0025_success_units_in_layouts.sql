-- Custom SQL migration file, put your code below! --
-- hand-written: the success units widget (issue 16) joined the default layout of every non-opportunity
-- type (lib/layouts/defaults.ts) after installs had stored theirs. A default layout no admin ever
-- published (still version 1, its version row published by nobody) gets it after the Status widget of
-- its Overview (first when there is none), as version 2 with its own layout_versions row. Layouts an
-- admin made or published are theirs: the editor's palette offers the widget (it lists the catalog).
WITH candidates AS (
	SELECT l."id", l."definition", (
		SELECT x.ord - 1 FROM jsonb_array_elements(l."definition"->'tabs') WITH ORDINALITY AS x(tab, ord)
		WHERE x.tab->>'kind' = 'overview' AND jsonb_typeof(x.tab->'zones'->'medium') = 'array'
		ORDER BY x.ord LIMIT 1) AS tab
	FROM "layouts" l JOIN "account_types" t ON t."id" = l."account_type_id"
	WHERE NOT t."is_opportunity" AND l."status" = 'published' AND l."version" = 1
		AND NOT EXISTS (SELECT 1 FROM "layout_versions" v WHERE v."layout_id" = l."id" AND (v."version" <> 1 OR v."published_by" IS NOT NULL))
		AND NOT jsonb_path_exists(l."definition", '$.tabs[*].zones.*[*] ? (@.widget == "success_units")')
),
changed AS (
	SELECT c."id", jsonb_set(c."definition", ARRAY['tabs', c.tab::text, 'zones', 'medium'], (
		SELECT jsonb_agg(part.w ORDER BY part.k) FROM (
			SELECT m.w, m.ord * 2 AS k FROM jsonb_array_elements(c."definition"->'tabs'->(c.tab::int)->'zones'->'medium') WITH ORDINALITY AS m(w, ord)
			UNION ALL
			SELECT '{"id": "success_units", "widget": "success_units"}'::jsonb, coalesce((
				SELECT s.ord * 2 + 1 FROM jsonb_array_elements(c."definition"->'tabs'->(c.tab::int)->'zones'->'medium') WITH ORDINALITY AS s(w, ord)
				WHERE s.w->>'widget' = 'status' ORDER BY s.ord LIMIT 1), 1)
		) part)) AS "definition"
	FROM candidates c WHERE c.tab IS NOT NULL
),
updated AS (
	UPDATE "layouts" l SET "definition" = changed."definition", "version" = 2, "updated_at" = now()
	FROM changed WHERE l."id" = changed."id"
	RETURNING l."id", l."definition"
)
INSERT INTO "layout_versions" ("layout_id", "version", "definition") SELECT "id", 2, "definition" FROM updated;
