using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class DeploymentRecord
{
    public Guid Id { get; set; }
    /// <summary>"release", "restart" or "drain" (<see cref="Core.Releases.DeploymentKind"/>).</summary>
    public string Kind { get; set; } = "release";
    public string Service { get; set; } = "";
    public int Release { get; set; }
    public int? PreviousRelease { get; set; }
    public string StartedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? LeavingNode { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
}

public sealed class DeploymentRecordConfiguration : IEntityTypeConfiguration<DeploymentRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentRecord> builder)
    {
        builder.ToTable("deployments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Service).HasMaxLength(63).IsRequired();
        builder.Property(d => d.Kind).HasMaxLength(20).IsRequired().HasDefaultValue("release");
        builder.Property(d => d.LeavingNode).HasMaxLength(64);
        builder.Property(d => d.StartedBy).HasMaxLength(200).IsRequired();
        builder.Property(d => d.Status).HasMaxLength(20).IsRequired();
        builder.Property(d => d.Reason).HasMaxLength(4000);
        builder.Property(d => d.Message).HasMaxLength(1000);
        builder.HasIndex(d => new { d.Service, d.StartedAt });
    }
}
