using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A release as stored; the runtime spec snapshot as JSON (secret values encrypted).</summary>
public sealed class ReleaseRecord
{
    public long Id { get; set; }
    public string Service { get; set; } = "";
    public int Number { get; set; }
    public string Image { get; set; } = "";
    public string Tag { get; set; } = "";
    public string Digest { get; set; } = "";
    public string SpecJson { get; set; } = "";
    public int ServiceRevision { get; set; }
    public Guid? BuildId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? Message { get; set; }
}

public sealed class DeploymentRecord
{
    public Guid Id { get; set; }
    public string Service { get; set; } = "";
    public int Release { get; set; }
    public int? PreviousRelease { get; set; }
    public string StartedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
}

public sealed class DeploymentStepRecord
{
    public long Id { get; set; }
    public Guid DeploymentId { get; set; }
    public string Node { get; set; } = "";
    public int? Slot { get; set; }
    public string Action { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public long? DurationMs { get; set; }
    public string? ContainerId { get; set; }
    public string? Detail { get; set; }
    public bool Failed { get; set; }
}

/// <summary>One row per service being deployed: the primary key makes a second deployment fail, across instances.</summary>
public sealed class DeploymentLockRecord
{
    public string Service { get; set; } = "";
    public Guid DeploymentId { get; set; }
    public string HeldBy { get; set; } = "";
    public DateTimeOffset Since { get; set; }
}

public sealed class ReleaseRecordConfiguration : IEntityTypeConfiguration<ReleaseRecord>
{
    public void Configure(EntityTypeBuilder<ReleaseRecord> builder)
    {
        builder.ToTable("releases");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Service).HasMaxLength(63).IsRequired();
        builder.Property(r => r.Image).HasMaxLength(300).IsRequired();
        builder.Property(r => r.Tag).HasMaxLength(128).IsRequired();
        builder.Property(r => r.Digest).HasMaxLength(100).IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Message).HasMaxLength(1000);
        builder.HasIndex(r => new { r.Service, r.Number }).IsUnique();
        builder.HasIndex(r => r.Digest);
    }
}

public sealed class DeploymentRecordConfiguration : IEntityTypeConfiguration<DeploymentRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentRecord> builder)
    {
        builder.ToTable("deployments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Service).HasMaxLength(63).IsRequired();
        builder.Property(d => d.StartedBy).HasMaxLength(200).IsRequired();
        builder.Property(d => d.Status).HasMaxLength(20).IsRequired();
        builder.Property(d => d.Reason).HasMaxLength(4000);
        builder.Property(d => d.Message).HasMaxLength(1000);
        builder.HasIndex(d => new { d.Service, d.StartedAt });
    }
}

public sealed class DeploymentStepRecordConfiguration : IEntityTypeConfiguration<DeploymentStepRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentStepRecord> builder)
    {
        builder.ToTable("deployment_steps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Node).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Action).HasMaxLength(40).IsRequired();
        builder.Property(s => s.ContainerId).HasMaxLength(100);
        builder.Property(s => s.Detail).HasMaxLength(4000);
        builder.HasIndex(s => s.DeploymentId);
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(s => s.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DeploymentLockRecordConfiguration : IEntityTypeConfiguration<DeploymentLockRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentLockRecord> builder)
    {
        builder.ToTable("deployment_locks");
        builder.HasKey(l => l.Service);
        builder.Property(l => l.Service).HasMaxLength(63);
        builder.Property(l => l.HeldBy).HasMaxLength(200).IsRequired();
    }
}
