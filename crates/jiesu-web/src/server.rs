//! Accepting connections (连接管理): HTTP/1.1 over hyper with limits a public server needs —
//! a client must send a request's headers within a time (slowloris), a connection on which
//! nothing moves while no handler works for it is closed, and at most so many connections
//! are open at once (further clients wait in the listen backlog). Shutdown is graceful:
//! requests in progress finish.
//!
//! HTTP/1.1 only: jiesu is reached directly or through a TLS proxy, and hyper-util's
//! automatic HTTP/2 detection has no timer while it waits for a client's first bytes.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower_service::Service;

/// How connections are limited.
#[derive(Debug, Clone, Copy)]
pub struct ServeConfig {
    /// Time for a client to send a request's headers, from when the server waits for them
    /// (a new connection, or the next request on a kept-alive one).
    pub header_read_timeout: Duration,
    /// Time a connection may stay silent in both directions while no handler works for it
    /// (a stalled answer the client does not read).
    pub idle_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
        }
    }
}

/// Serves `router` on `listener` with `config` until `shutdown` resolves, then lets the
/// requests in progress finish.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = accept(&listener, &permits) => accepted,
        };
        let (stream, peer, permit) = accepted;
        let activity = Activity::default();
        let io = TokioIo::new(Watched {
            inner: stream,
            activity: activity.clone(),
        });
        let service = RouterService {
            router: router.clone(),
            peer,
            activity: activity.clone(),
        };
        let connection = graceful.watch(builder.serve_connection(io, service));
        let idle_timeout = config.idle_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            tokio::select! {
                done = connection => {
                    if let Err(e) = done {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                }
                _ = activity.idle_for(idle_timeout) => {
                    tracing::debug!(%peer, "idle connection closed");
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The next connection once a permit is free. Errors of single connections (a client that
/// left before it was accepted, no file descriptors left for a moment) do not stop the
/// server: they are logged and accepting goes on after a short pause.
async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> (TcpStream, SocketAddr, tokio::sync::OwnedSemaphorePermit) {
    let Ok(permit) = permits.clone().acquire_owned().await else {
        unreachable!("the semaphore is never closed");
    };
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => return (stream, peer, permit),
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// When a connection last moved a byte, and how many of its requests handlers are working
/// on.
#[derive(Clone)]
struct Activity(Arc<ActivityState>);

struct ActivityState {
    opened: Instant,
    last_millis: AtomicU64,
    busy: AtomicUsize,
}

impl Default for Activity {
    fn default() -> Self {
        Activity(Arc::new(ActivityState {
            opened: Instant::now(),
            last_millis: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }))
    }
}

impl Activity {
    fn touch(&self) {
        let millis = u64::try_from(self.0.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.0.last_millis.store(millis, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.0.opened + Duration::from_millis(self.0.last_millis.load(Ordering::Relaxed))
    }

    /// Resolves once the connection has been silent for `timeout` with no handler at work.
    async fn idle_for(&self, timeout: Duration) {
        loop {
            let deadline = self.last() + timeout;
            if Instant::now() < deadline {
                tokio::time::sleep_until(deadline.into()).await;
            } else if self.0.busy.load(Ordering::Relaxed) > 0 {
                tokio::time::sleep(timeout).await;
            } else {
                return;
            }
        }
    }

    fn working(&self) -> Working {
        self.0.busy.fetch_add(1, Ordering::Relaxed);
        Working(self.clone())
    }
}

/// A handler at work on a request of the connection, until dropped.
struct Working(Activity);

impl Drop for Working {
    fn drop(&mut self) {
        self.0.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// The application for one connection: each request carries the peer's address (for
/// `ConnectInfo`) and counts as work while its handler runs.
#[derive(Clone)]
struct RouterService {
    router: Router,
    peer: SocketAddr,
    activity: Activity,
}

impl hyper::service::Service<Request<Incoming>> for RouterService {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let working = self.activity.working();
        let mut router = self.router.clone();
        Box::pin(async move {
            let response = router.call(request).await;
            drop(working);
            response
        })
    }
}

/// A TCP stream that records when it last moved a byte.
struct Watched {
    inner: TcpStream,
    activity: Activity,
}

impl Watched {
    fn moved<T>(
        &self,
        result: Poll<io::Result<T>>,
        bytes: impl Fn(&T) -> bool,
    ) -> Poll<io::Result<T>> {
        if let Poll::Ready(Ok(value)) = &result
            && bytes(value)
        {
            self.activity.touch();
        }
        result
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        let read = buf.filled().len() > before;
        this.moved(result, |_| read)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.moved(result, |n| *n > 0)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.moved(result, |n| *n > 0)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
