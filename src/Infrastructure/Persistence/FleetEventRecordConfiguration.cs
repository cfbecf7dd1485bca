using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class FleetEventRecordConfiguration : IEntityTypeConfiguration<FleetEventRecord>
{
    public void Configure(EntityTypeBuilder<FleetEventRecord> builder)
    {
        builder.ToTable("fleet_events");
        builder.HasKey(e => e.Id);
        // By name: kinds may be added to the enum, and a stored row still reads the same.
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40).IsRequired();
        builder.Property(e => e.Summary).HasMaxLength(1000).IsRequired();
        builder.Property(e => e.Node).HasMaxLength(100);
        builder.Property(e => e.ContainerId).HasMaxLength(64);
        builder.Property(e => e.ContainerName).HasMaxLength(300);
        builder.Property(e => e.Service).HasMaxLength(100);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.HasIndex(e => new { e.Service, e.At });
        builder.HasIndex(e => new { e.Node, e.ContainerId, e.At });
        builder.HasIndex(e => e.Kind);
        // Retention prunes by time.
        builder.HasIndex(e => e.At);
    }
}
