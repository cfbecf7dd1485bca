using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>An outgoing webhook; the secret only ever as ciphertext of the panel's secret protector.</summary>
public sealed class WebhookRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    /// <summary>Event kinds by name, comma-separated (names are never renamed, see FleetEventKind).</summary>
    public string Kinds { get; set; } = "";
    public string Format { get; set; } = "";
    public TimeSpan UnhealthyFor { get; set; }
    public string? ProtectedSecret { get; set; }
    public bool Enabled { get; set; }
    public bool AllowPrivateAddress { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class WebhookRecordConfiguration : IEntityTypeConfiguration<WebhookRecord>
{
    public void Configure(EntityTypeBuilder<WebhookRecord> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(100).IsRequired();
        builder.Property(w => w.Url).HasMaxLength(2000).IsRequired();
        builder.Property(w => w.Kinds).HasMaxLength(1000).IsRequired();
        builder.Property(w => w.Format).HasMaxLength(20).IsRequired();
        builder.Property(w => w.ProtectedSecret).HasMaxLength(4000);
    }
}

/// <summary>One attempt to deliver one event to one webhook.</summary>
public sealed class WebhookAttemptRecord
{
    public long Id { get; set; }
    public Guid WebhookId { get; set; }
    public Guid DeliveryId { get; set; }
    public string Kind { get; set; } = "";
    public string Summary { get; set; } = "";
    public int Attempt { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public TimeSpan Duration { get; set; }
    public DateTimeOffset At { get; set; }
}

public sealed class WebhookAttemptRecordConfiguration : IEntityTypeConfiguration<WebhookAttemptRecord>
{
    public void Configure(EntityTypeBuilder<WebhookAttemptRecord> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Kind).HasMaxLength(50).IsRequired();
        builder.Property(a => a.Summary).HasMaxLength(1000).IsRequired();
        builder.Property(a => a.Error).HasMaxLength(1000);
        // The log is read per webhook, newest first, and pruned by age.
        builder.HasIndex(a => new { a.WebhookId, a.Id });
        builder.HasIndex(a => a.At);
        builder.HasOne<WebhookRecord>().WithMany().HasForeignKey(a => a.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A delivery waiting for its next attempt; the event as JSON, as it will be sent.</summary>
public sealed class PendingWebhookDeliveryRecord
{
    public Guid DeliveryId { get; set; }
    public Guid WebhookId { get; set; }
    public string EventJson { get; set; } = "";
    public int NextAttempt { get; set; }
    public DateTimeOffset DueAt { get; set; }
}

public sealed class PendingWebhookDeliveryRecordConfiguration : IEntityTypeConfiguration<PendingWebhookDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<PendingWebhookDeliveryRecord> builder)
    {
        builder.ToTable("webhook_pending_deliveries");
        builder.HasKey(p => p.DeliveryId);
        builder.Property(p => p.EventJson).IsRequired();
        // A deleted webhook's waiting deliveries go with it.
        builder.HasOne<WebhookRecord>().WithMany().HasForeignKey(p => p.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}
