-- `people.create` split from `people.manage`: dispatchers create a client for an unknown caller
-- without the right to edit or merge clients. Every role that could manage clients keeps
-- creating them; the seeded dispatcher roles gain the right.
INSERT INTO role_permissions (role_id, permission)
SELECT role_id, 'people.create' FROM role_permissions WHERE permission = 'people.manage'
ON CONFLICT DO NOTHING;

INSERT INTO role_permissions (role_id, permission)
SELECT id, 'people.create' FROM roles WHERE code = 'dispatcher'
ON CONFLICT DO NOTHING;
