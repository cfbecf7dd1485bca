using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A cordoned node, by name: whatever source the node comes from, the cordon stays until an Admin lifts it.</summary>
public sealed class NodeCordonRecord
{
    public string Node { get; set; } = "";
    public string CordonedBy { get; set; } = "";
    public DateTimeOffset CordonedAt { get; set; }
    public string? Reason { get; set; }
}

public sealed class NodeCordonRecordConfiguration : IEntityTypeConfiguration<NodeCordonRecord>
{
    public void Configure(EntityTypeBuilder<NodeCordonRecord> builder)
    {
        builder.ToTable("node_cordons");
        builder.HasKey(c => c.Node);
        builder.Property(c => c.Node).HasMaxLength(100);
        builder.Property(c => c.CordonedBy).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Reason).HasMaxLength(500);
    }
}
