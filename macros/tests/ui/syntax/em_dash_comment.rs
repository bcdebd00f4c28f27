// An em-dash comment `——` copied from a Chinese doc instead of `--`.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR, —— user id
    name VARCHAR
) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (id VARCHAR, name VARCHAR) WITH (type = 'print');
INSERT INTO out SELECT id, name FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
