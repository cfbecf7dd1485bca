using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// The panel's database. Each provider has its own subclass so that each keeps its own migrations
/// (SQLite and PostgreSQL differ in types and DDL).
/// </summary>
public abstract class ControlPanelDbContext(DbContextOptions options)
    : IdentityDbContext<ControlPanelUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>Data Protection's key ring, here so every instance of the panel shares it.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuditRecord> AuditEntries => Set<AuditRecord>();
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();
    public DbSet<ServiceRevisionRecord> ServiceRevisions => Set<ServiceRevisionRecord>();
    public DbSet<RegistryRecord> Registries => Set<RegistryRecord>();
    public DbSet<StoredNodeRecord> StoredNodes => Set<StoredNodeRecord>();
    public DbSet<BuildRecord> Builds => Set<BuildRecord>();
    public DbSet<ReleaseRecord> Releases => Set<ReleaseRecord>();
    public DbSet<DeploymentRecord> Deployments => Set<DeploymentRecord>();
    public DbSet<DeploymentStepRecord> DeploymentSteps => Set<DeploymentStepRecord>();
    public DbSet<DeploymentLockRecord> DeploymentLocks => Set<DeploymentLockRecord>();
    public DbSet<NodeCordonRecord> NodeCordons => Set<NodeCordonRecord>();
    public DbSet<WebhookRecord> Webhooks => Set<WebhookRecord>();
    public DbSet<WebhookAttemptRecord> WebhookAttempts => Set<WebhookAttemptRecord>();
    public DbSet<FleetEventRecord> FleetEvents => Set<FleetEventRecord>();
    public DbSet<PipelineRecord> Pipelines => Set<PipelineRecord>();
    public DbSet<PushHookRecord> PushHooks => Set<PushHookRecord>();
    public DbSet<PushDeliveryRecord> PushDeliveries => Set<PushDeliveryRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ControlPanelDbContext).Assembly);
    }
}

public sealed class SqliteControlPanelDbContext(DbContextOptions<SqliteControlPanelDbContext> options) : ControlPanelDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        // SQLite cannot compare DateTimeOffset text in SQL; stored as binary ticks it filters and sorts.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
}

public sealed class PostgresControlPanelDbContext(DbContextOptions<PostgresControlPanelDbContext> options) : ControlPanelDbContext(options);
