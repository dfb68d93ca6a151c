//! Operations: `jiesu migrate` and `jiesu create-admin`.

use anyhow::{Result, bail};
use jiesu_domain::password::check_password;
use jiesu_domain::user::{NewUser, Role, username_taken};

pub async fn migrate(db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?; // opening runs the migrations
    println!("数据库已迁移到最新版本（{}）", store.backend());
    Ok(())
}

pub async fn create_admin(db: &str, username: &str, password: &str) -> Result<()> {
    check_password(password, username)?;
    let store = crate::backend::open(db).await?;
    if username_taken(&store.users().await?, username) {
        bail!("用户名「{username}」已存在（不区分大小写）");
    }
    let hash = jiesu_app::auth::hash_password(password.to_string())
        .await
        .map_err(anyhow::Error::msg)?;
    let user = NewUser {
        username: username.into(),
        display_name: "管理员".into(),
        role: Role::Admin,
        body: None,
    };
    let created = store.create_user(&user, &hash).await?;
    println!("已创建管理员 {}（编号 {}）", created.username, created.id);
    Ok(())
}
