using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPipelinesPushHooksAndPendingDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pipelines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TriggeredBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Revision = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Commit = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Deploy = table.Column<bool>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DeliveryId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FailedStage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    BuildId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReleaseNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SupersededBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    StagesJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pipelines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "push_hooks",
                columns: table => new
                {
                    Service = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AutoDeploy = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SecretSetAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_push_hooks", x => x.Service);
                });

            migrationBuilder.CreateTable(
                name: "webhook_pending_deliveries",
                columns: table => new
                {
                    DeliveryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WebhookId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventJson = table.Column<string>(type: "TEXT", nullable: false),
                    NextAttempt = table.Column<int>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_pending_deliveries", x => x.DeliveryId);
                    table.ForeignKey(
                        name: "FK_webhook_pending_deliveries_webhooks_WebhookId",
                        column: x => x.WebhookId,
                        principalTable: "webhooks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "push_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Service = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DeliveryId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Ref = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Commit = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Pusher = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PipelineId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BodyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_push_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_push_deliveries_push_hooks_Service",
                        column: x => x.Service,
                        principalTable: "push_hooks",
                        principalColumn: "Service",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pipelines_Service_CreatedAt",
                table: "pipelines",
                columns: new[] { "Service", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_pipelines_Service_DeliveryId",
                table: "pipelines",
                columns: new[] { "Service", "DeliveryId" });

            migrationBuilder.CreateIndex(
                name: "IX_pipelines_Status",
                table: "pipelines",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_push_deliveries_Service_BodyHash",
                table: "push_deliveries",
                columns: new[] { "Service", "BodyHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_push_deliveries_Service_DeliveryId",
                table: "push_deliveries",
                columns: new[] { "Service", "DeliveryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_push_deliveries_Service_Id",
                table: "push_deliveries",
                columns: new[] { "Service", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_pending_deliveries_WebhookId",
                table: "webhook_pending_deliveries",
                column: "WebhookId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pipelines");

            migrationBuilder.DropTable(
                name: "push_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_pending_deliveries");

            migrationBuilder.DropTable(
                name: "push_hooks");
        }
    }
}
