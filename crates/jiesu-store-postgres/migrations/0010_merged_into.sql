-- jiesu schema, version 10 (PostgreSQL): the lead an appeal is merged into (并案), so a
-- lead's followers are found without reading every appeal: all of them (the lead's page), and
-- those still merged (waiting to follow the lead's answer).
ALTER TABLE appeals ADD COLUMN merged_into_id BIGINT;
UPDATE appeals SET merged_into_id = (data::jsonb ->> 'merged_into')::bigint
    WHERE data::jsonb ->> 'merged_into' IS NOT NULL;
CREATE INDEX appeals_followers ON appeals (merged_into_id) WHERE merged_into_id IS NOT NULL;
CREATE INDEX appeals_merged ON appeals (merged_into_id) WHERE status = 'merged';
