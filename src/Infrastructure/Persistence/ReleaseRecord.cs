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
