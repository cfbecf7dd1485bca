using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(200).IsRequired();
        builder.Property(a => a.ClientAddress).HasMaxLength(64);
        builder.Property(a => a.Action).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Node).HasMaxLength(100);
        builder.Property(a => a.Target).HasMaxLength(300).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(1000);
        builder.Property(a => a.Error).HasMaxLength(4000);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Node, a.Target });
        // One outcome per begun action; no foreign key, as adding one makes SQLite rebuild the table and drop its triggers.
        builder.HasIndex(a => a.CompletesId).IsUnique();
    }
}
