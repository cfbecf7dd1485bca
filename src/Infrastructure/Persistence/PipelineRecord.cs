using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>
/// A pipeline as stored. Its three stages are rewritten whole with every change (never appended like a deployment's
/// steps), so they live as JSON in <see cref="StagesJson"/>.
/// </summary>
public sealed class PipelineRecord
{
    public Guid Id { get; set; }
    public string Service { get; set; } = "";
    public string Trigger { get; set; } = "";
    public string TriggeredBy { get; set; } = "";
    public string Revision { get; set; } = "";
    public string? Commit { get; set; }
    public bool Deploy { get; set; }
    public string? Provider { get; set; }
    public string? DeliveryId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public string Status { get; set; } = "";
    public string? FailedStage { get; set; }
    public string? Message { get; set; }
    public Guid? BuildId { get; set; }
    public int? ReleaseNumber { get; set; }
    public Guid? DeploymentId { get; set; }
    public Guid? SupersededBy { get; set; }
    public string StagesJson { get; set; } = "[]";
}

public sealed class PipelineRecordConfiguration : IEntityTypeConfiguration<PipelineRecord>
{
    public void Configure(EntityTypeBuilder<PipelineRecord> builder)
    {
        builder.ToTable("pipelines");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Service).HasMaxLength(63).IsRequired();
        builder.Property(p => p.Trigger).HasMaxLength(20).IsRequired();
        builder.Property(p => p.TriggeredBy).HasMaxLength(200).IsRequired();
        builder.Property(p => p.Revision).HasMaxLength(200).IsRequired();
        builder.Property(p => p.Commit).HasMaxLength(64);
        builder.Property(p => p.Provider).HasMaxLength(20);
        builder.Property(p => p.DeliveryId).HasMaxLength(200);
        builder.Property(p => p.Status).HasMaxLength(20).IsRequired();
        builder.Property(p => p.FailedStage).HasMaxLength(20);
        builder.Property(p => p.Message).HasMaxLength(4000);
        builder.HasIndex(p => new { p.Service, p.CreatedAt });
        builder.HasIndex(p => new { p.Service, p.DeliveryId });
        builder.HasIndex(p => p.Status);
    }
}
