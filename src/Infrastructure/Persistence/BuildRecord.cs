using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A build as stored; lists (images, phases, steps) as JSON, the log's last part in <see cref="LogTail"/>.</summary>
public sealed class BuildRecord
{
    public Guid Id { get; set; }
    public string Service { get; set; } = "";
    public int ServiceRevision { get; set; }
    public string Requested { get; set; } = "";
    public string Node { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public string SettingsFingerprint { get; set; } = "";
    public bool Rebuild { get; set; }
    public bool TagBranch { get; set; }
    public string Status { get; set; } = "";
    public string? CommitSha { get; set; }
    public string? CommitMessage { get; set; }
    public string? CommitAuthor { get; set; }
    public string ImagesJson { get; set; } = "[]";
    public string? Digest { get; set; }
    public string PhasesJson { get; set; } = "[]";
    public string StepsJson { get; set; } = "[]";
    public string? FailedPhase { get; set; }
    public string? Error { get; set; }
    public Guid? ReusedFrom { get; set; }
    public string? LogTail { get; set; }
}

public sealed class BuildRecordConfiguration : IEntityTypeConfiguration<BuildRecord>
{
    public void Configure(EntityTypeBuilder<BuildRecord> builder)
    {
        builder.ToTable("builds");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Service).HasMaxLength(63).IsRequired();
        builder.Property(b => b.Requested).HasMaxLength(200).IsRequired();
        builder.Property(b => b.Node).HasMaxLength(100).IsRequired();
        builder.Property(b => b.RequestedBy).HasMaxLength(200).IsRequired();
        builder.Property(b => b.SettingsFingerprint).HasMaxLength(64).IsRequired();
        builder.Property(b => b.Status).HasMaxLength(20).IsRequired();
        builder.Property(b => b.CommitSha).HasMaxLength(64);
        builder.Property(b => b.CommitMessage).HasMaxLength(1000);
        builder.Property(b => b.CommitAuthor).HasMaxLength(300);
        builder.Property(b => b.Digest).HasMaxLength(100);
        builder.Property(b => b.FailedPhase).HasMaxLength(20);
        builder.Property(b => b.Error).HasMaxLength(4000);
        builder.HasIndex(b => new { b.Service, b.StartedAt });
        builder.HasIndex(b => new { b.Service, b.SettingsFingerprint, b.CommitSha });
        builder.HasIndex(b => b.Digest);
        builder.HasIndex(b => b.Status);
    }
}
