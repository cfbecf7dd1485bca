using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

public sealed class DeploymentStepRecord
{
    public long Id { get; set; }
    public Guid DeploymentId { get; set; }
    public string Node { get; set; } = "";
    public int? Slot { get; set; }
    public string Action { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public long? DurationMs { get; set; }
    public string? Image { get; set; }
    public string? ContainerName { get; set; }
    public string? ContainerId { get; set; }
    public string? Detail { get; set; }
    public bool Failed { get; set; }
}

public sealed class DeploymentStepRecordConfiguration : IEntityTypeConfiguration<DeploymentStepRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentStepRecord> builder)
    {
        builder.ToTable("deployment_steps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Node).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Action).HasMaxLength(40).IsRequired();
        builder.Property(s => s.Image).HasMaxLength(500);
        builder.Property(s => s.ContainerName).HasMaxLength(100);
        builder.Property(s => s.ContainerId).HasMaxLength(100);
        builder.Property(s => s.Detail).HasMaxLength(4000);
        builder.HasIndex(s => s.DeploymentId);
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(s => s.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
