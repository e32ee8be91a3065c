-- A database workload for the sqlite3 shell (stdin; every result is deterministic, so the output
-- of swasm, wasmtime and native sqlite3 can be compared byte for byte).
.bail on
.mode list
PRAGMA page_size = 4096;
PRAGMA journal_mode = DELETE;
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT, score REAL, grp INTEGER);
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000)
INSERT INTO t SELECT i, (i * 1103515245 + 12345) % 2147483648,
                     printf('name-%06d-%08x', (i * 7919) % 100003, (i * 2654435761) % 4294967296),
                     ((i * 7919) % 10007) / 7.0, i % 97 FROM c;
COMMIT;
SELECT count(*), sum(k), round(total(score), 4), min(name), max(name) FROM t;
CREATE INDEX t_k ON t(k);
CREATE INDEX t_grp_score ON t(grp, score);
CREATE INDEX t_name ON t(name);
SELECT grp, count(*), round(avg(score), 6), max(k) FROM t GROUP BY grp ORDER BY grp LIMIT 5;
SELECT id, k FROM t ORDER BY k LIMIT 5;
SELECT count(*) FROM t WHERE k BETWEEN 1000000 AND 500000000;
SELECT sum(length(name)), count(DISTINCT substr(name, 6, 3)) FROM t;
SELECT name FROM t ORDER BY name DESC LIMIT 3;
SELECT name, score FROM t WHERE grp = 42 ORDER BY score DESC, id LIMIT 3;
CREATE TABLE g(grp INTEGER PRIMARY KEY, label TEXT);
INSERT INTO g SELECT DISTINCT grp, 'group ' || grp FROM t;
SELECT g.label, count(*) FROM t JOIN g USING (grp) WHERE t.score > 1000 GROUP BY g.label ORDER BY count(*) DESC, g.label LIMIT 3;
UPDATE t SET score = score * 2 WHERE grp % 3 = 0;
DELETE FROM t WHERE id % 10 = 0;
SELECT count(*), round(total(score), 3) FROM t;
SELECT id, round(sum(score) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 3) FROM t WHERE id < 8;
SELECT sum((id * 31 + k) % 1000003) FROM (SELECT id, k FROM t ORDER BY name);
SELECT grp, group_concat(id, ',') FROM (SELECT grp, id FROM t WHERE id < 300 ORDER BY id) GROUP BY grp HAVING count(*) > 2 ORDER BY grp LIMIT 3;
SELECT json_object('n', count(*), 'top', json_group_array(id)) FROM (SELECT id FROM t ORDER BY score DESC, id LIMIT 4);
CREATE VIRTUAL TABLE docs USING fts5(body);
INSERT INTO docs SELECT printf('%s %s %s', CASE id % 3 WHEN 0 THEN 'alpha' WHEN 1 THEN 'beta' ELSE 'gamma' END,
                               name, CASE WHEN id % 7 = 0 THEN 'seventh' ELSE 'other' END) FROM t WHERE id <= 20000;
SELECT count(*) FROM docs WHERE docs MATCH 'alpha AND seventh';
SELECT rowid FROM docs WHERE docs MATCH 'gamma NOT other' ORDER BY rowid LIMIT 3;
SELECT printf('%.6f', sqrt(2.0)), printf('%.3e', exp(10)), round(ln(1000), 9);
PRAGMA integrity_check;
VACUUM;
SELECT count(*) FROM t;
