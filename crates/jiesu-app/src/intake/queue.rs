//! The intake queue (受理队列): concurrent intakes are written together, many per
//! transaction, by one task — group commit. A lone intake is written at once; under load the
//! intakes that arrive while a transaction runs share the next one, so throughput grows with
//! load instead of queueing on the database's single writer.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use jiesu_store::{Registered, Registration, Store, StoreError, StoreResult};

/// Most intakes written in one transaction.
pub const MAX_BATCH: usize = 128;

type Job = (Registration, oneshot::Sender<StoreResult<Registered>>);

/// A handle to the queue; cheap to clone.
#[derive(Clone)]
pub struct IntakeQueue {
    jobs: mpsc::Sender<Job>,
}

impl IntakeQueue {
    /// Starts the writer task for `store`. It ends when every handle is dropped.
    pub fn start(store: Arc<dyn Store>) -> IntakeQueue {
        let (jobs, mut incoming) = mpsc::channel::<Job>(MAX_BATCH * 8);
        tokio::spawn(async move {
            let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
            while incoming.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let registrations: Vec<Registration> =
                    batch.iter().map(|(r, _)| r.clone()).collect();
                match store.register_many(&registrations).await {
                    Ok(results) => {
                        for ((_, reply), result) in batch.drain(..).zip(results) {
                            let _ = reply.send(result);
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        tracing::error!(error = %message, size = batch.len(), "intake batch failed");
                        for (_, reply) in batch.drain(..) {
                            let _ = reply.send(Err(StoreError::Other(message.clone())));
                        }
                    }
                }
            }
        });
        IntakeQueue { jobs }
    }

    /// Records one intake through the queue.
    pub async fn register(&self, registration: Registration) -> StoreResult<Registered> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send((registration, reply))
            .await
            .map_err(|_| StoreError::Other("intake queue stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Other("intake queue dropped a job".into()))?
    }
}
