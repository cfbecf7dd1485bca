using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A configured registry; the password only ever as Data Protection ciphertext.</summary>
public sealed class RegistryRecord
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public string? UserName { get; set; }
    public string? ProtectedPassword { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class RegistryRecordConfiguration : IEntityTypeConfiguration<RegistryRecord>
{
    public void Configure(EntityTypeBuilder<RegistryRecord> builder)
    {
        builder.ToTable("registries");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(63);
        builder.Property(r => r.Url).HasMaxLength(300).IsRequired();
        builder.Property(r => r.UserName).HasMaxLength(200);
    }
}
