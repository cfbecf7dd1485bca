using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>A service's push hook; the secret only ever as ciphertext of the panel's secret protector.</summary>
public sealed class PushHookRecord
{
    public string Service { get; set; } = "";
    public string ProtectedSecret { get; set; } = "";
    public bool AutoDeploy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset SecretSetAt { get; set; }
}

public sealed class PushHookRecordConfiguration : IEntityTypeConfiguration<PushHookRecord>
{
    public void Configure(EntityTypeBuilder<PushHookRecord> builder)
    {
        builder.ToTable("push_hooks");
        builder.HasKey(h => h.Service);
        builder.Property(h => h.Service).HasMaxLength(63);
        builder.Property(h => h.ProtectedSecret).HasMaxLength(4000).IsRequired();
        builder.Property(h => h.CreatedBy).HasMaxLength(200).IsRequired();
    }
}

/// <summary>One authenticated delivery of a push hook.</summary>
public sealed class PushDeliveryRecord
{
    public long Id { get; set; }
    public string Service { get; set; } = "";
    public string Provider { get; set; } = "";
    public string DeliveryId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string Event { get; set; } = "";
    public string? Ref { get; set; }
    public string? Commit { get; set; }
    public string? Pusher { get; set; }
    public string Outcome { get; set; } = "";
    public string Message { get; set; } = "";
    public Guid? PipelineId { get; set; }
    /// <summary>Hex SHA-256 of the raw body: the replay key the hosts' signatures actually cover.</summary>
    public string? BodyHash { get; set; }
}

public sealed class PushDeliveryRecordConfiguration : IEntityTypeConfiguration<PushDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<PushDeliveryRecord> builder)
    {
        builder.ToTable("push_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Service).HasMaxLength(63).IsRequired();
        builder.Property(d => d.Provider).HasMaxLength(20).IsRequired();
        builder.Property(d => d.DeliveryId).HasMaxLength(100).IsRequired();
        builder.Property(d => d.Event).HasMaxLength(50).IsRequired();
        builder.Property(d => d.Ref).HasMaxLength(200);
        builder.Property(d => d.Commit).HasMaxLength(64);
        builder.Property(d => d.Pusher).HasMaxLength(200);
        builder.Property(d => d.Outcome).HasMaxLength(20).IsRequired();
        builder.Property(d => d.Message).HasMaxLength(1000).IsRequired();
        // The replay check: a delivery id is taken once per service, atomically, by this key.
        builder.HasIndex(d => new { d.Service, d.DeliveryId }).IsUnique();
        // And a body once: the delivery id header is not signed, so a captured body resent with a new id is still a replay.
        builder.Property(d => d.BodyHash).HasMaxLength(64);
        builder.HasIndex(d => new { d.Service, d.BodyHash }).IsUnique();
        // The log is read per service, newest first, and trimmed to the newest N.
        builder.HasIndex(d => new { d.Service, d.Id });
        builder.HasOne<PushHookRecord>().WithMany().HasForeignKey(d => d.Service).OnDelete(DeleteBehavior.Cascade);
    }
}
