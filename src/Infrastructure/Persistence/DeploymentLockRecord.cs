using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>One row per service being deployed: the primary key makes a second deployment fail, across instances.</summary>
public sealed class DeploymentLockRecord
{
    public string Service { get; set; } = "";
    public Guid DeploymentId { get; set; }
    public string HeldBy { get; set; } = "";
    public DateTimeOffset Since { get; set; }
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
