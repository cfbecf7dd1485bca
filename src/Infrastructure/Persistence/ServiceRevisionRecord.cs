using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>One revision of a service definition; the settings are kept as JSON so the model can grow (runtime settings come with releases).</summary>
public sealed class ServiceRevisionRecord
{
    public long Id { get; set; }
    public string Service { get; set; } = "";
    public int Number { get; set; }
    public string SettingsJson { get; set; } = "";
    public string ChangedBy { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class ServiceRevisionRecordConfiguration : IEntityTypeConfiguration<ServiceRevisionRecord>
{
    public void Configure(EntityTypeBuilder<ServiceRevisionRecord> builder)
    {
        builder.ToTable("service_revisions");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Service).HasMaxLength(63).IsRequired();
        builder.Property(r => r.SettingsJson).IsRequired();
        builder.Property(r => r.ChangedBy).HasMaxLength(200).IsRequired();
        // Two saves racing for the same number: one wins, the other is told to reload.
        builder.HasIndex(r => new { r.Service, r.Number }).IsUnique();
    }
}
