//! Operations: `jiesu migrate` and `jiesu create-admin`.

use anyhow::{Result, bail};
use jiesu_domain::user::{NewUser, Role};

pub async fn migrate(db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?; // opening runs the migrations
    println!("数据库已迁移到最新版本（{}）", store.backend());
    Ok(())
}

pub async fn create_admin(db: &str, username: &str, password: &str) -> Result<()> {
    if password.chars().count() < jiesu_web::api::MIN_PASSWORD_CHARS {
        bail!("密码至少 {} 位", jiesu_web::api::MIN_PASSWORD_CHARS);
    }
    let store = crate::backend::open(db).await?;
    let hash = jiesu_web::auth::hash_password(password.to_string())
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
