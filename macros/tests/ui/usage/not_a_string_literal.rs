// The macro takes the SQL as a string literal (optionally after a job name), not bare tokens.
mod job {
    streamsql_macros::stream_sql!(daily, SELECT 1);
}

fn main() {
    let _ = job::Job.info();
}
