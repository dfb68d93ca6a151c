-- jiesu schema, version 24 (PostgreSQL): service points (便民点位), their kinds (点位类型) with
-- facility checklists, and the appeals that name a point.
CREATE TABLE point_kinds (
    name TEXT PRIMARY KEY,
    facilities TEXT NOT NULL DEFAULT '[]',
    position BIGINT NOT NULL
);

CREATE TABLE points (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES point_kinds(name),
    address TEXT NOT NULL DEFAULT '',
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    district TEXT NOT NULL,
    street TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    facilities TEXT NOT NULL DEFAULT '[]',
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX points_by_kind ON points (kind, id);
CREATE INDEX points_by_district ON points (district, id);

-- One row per facility a point has: the facility filter reads it.
CREATE TABLE point_facilities (
    point_id BIGINT NOT NULL REFERENCES points(id) ON DELETE CASCADE,
    facility TEXT NOT NULL,
    PRIMARY KEY (facility, point_id)
);
CREATE INDEX point_facilities_by_point ON point_facilities (point_id);

-- An appeal about a point ("the caring station has no water").
CREATE TABLE appeal_points (
    appeal_id BIGINT PRIMARY KEY REFERENCES appeals(id),
    point_id BIGINT NOT NULL REFERENCES points(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX appeal_points_by_point ON appeal_points (point_id, created_ms);

-- The kinds a city starts with; the admin edits their checklists and adds kinds.
INSERT INTO point_kinds (name, facilities, position) VALUES
    ('爱心驿站', '["饮水","热水","微波炉","冰箱","充电","休息座椅","卫生间","药箱","空调","无线网络","雨具","打气筒","针线包","老花镜","图书"]', 1),
    ('回收点', '["可回收物","有害垃圾","旧衣物","大件垃圾","电子废弃物"]', 2),
    ('加注站', '["甲醇","汽油","柴油","充电桩","便利店","卫生间"]', 3),
    ('联络站', '["接待室","意见箱","代表值班","无障碍通道"]', 4),
    ('公厕', '["无障碍厕位","母婴室","第三卫生间","洗手液","24小时开放"]', 5);
