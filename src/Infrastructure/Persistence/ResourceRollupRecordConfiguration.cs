using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class ResourceRollupRecordConfiguration : IEntityTypeConfiguration<ResourceRollupRecord>
{
    public void Configure(EntityTypeBuilder<ResourceRollupRecord> builder)
    {
        builder.ToTable("resource_rollups");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Node).HasMaxLength(100).IsRequired();
        builder.Property(r => r.ContainerId).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Service).HasMaxLength(100);
        // The charts ask by container, node or service over a time range; pruning asks by time alone.
        builder.HasIndex(r => new { r.Node, r.ContainerId, r.MinuteUnixSeconds });
        builder.HasIndex(r => new { r.Service, r.MinuteUnixSeconds });
        builder.HasIndex(r => r.MinuteUnixSeconds);
    }
}
