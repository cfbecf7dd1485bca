using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A node an Admin added in the panel. The PEMs only ever as ciphertext of the panel's secret protector.</summary>
public sealed class StoredNodeRecord
{
    public string Name { get; set; } = "";
    public string Endpoint { get; set; } = "";
    /// <summary>The labels as a JSON object.</summary>
    public string Labels { get; set; } = "{}";
    public string? ProtectedCa { get; set; }
    public string? ProtectedCertificate { get; set; }
    public string? ProtectedKey { get; set; }
    /// <summary>The client certificate's subject and expiry, in the clear to show without decrypting anything.</summary>
    public string? CertificateSubject { get; set; }
    public DateTimeOffset? CertificateNotAfter { get; set; }
    /// <summary>Plain tcp:// accepted explicitly by the Admin who saved it.</summary>
    public bool AllowInsecureTcp { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class StoredNodeRecordConfiguration : IEntityTypeConfiguration<StoredNodeRecord>
{
    public void Configure(EntityTypeBuilder<StoredNodeRecord> builder)
    {
        builder.ToTable("stored_nodes");
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasMaxLength(64);
        builder.Property(n => n.Endpoint).HasMaxLength(300).IsRequired();
        builder.Property(n => n.Labels).IsRequired();
        builder.Property(n => n.CertificateSubject).HasMaxLength(500);
    }
}
