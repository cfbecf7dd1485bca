using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddOnCallObservability : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fleet_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ContainerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ContainerName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Service = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ExitCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuildId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Release = table.Column<int>(type: "INTEGER", nullable: true),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "resource_rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContainerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MinuteUnixSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuPercentOfHost = table.Column<double>(type: "REAL", nullable: false),
                    CpuPercentOfLimit = table.Column<double>(type: "REAL", nullable: true),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryLimitBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    NetworkRxBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    NetworkTxBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    BlockReadBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    BlockWriteBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    Pids = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_rollups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Kinds = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UnhealthyFor = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllowPrivateAddress = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhooks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WebhookId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Duration = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_attempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_webhook_attempts_webhooks_WebhookId",
                        column: x => x.WebhookId,
                        principalTable: "webhooks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_At",
                table: "fleet_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Kind",
                table: "fleet_events",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Node_ContainerId_At",
                table: "fleet_events",
                columns: new[] { "Node", "ContainerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Service_At",
                table: "fleet_events",
                columns: new[] { "Service", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_MinuteUnixSeconds",
                table: "resource_rollups",
                column: "MinuteUnixSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_Node_ContainerId_MinuteUnixSeconds",
                table: "resource_rollups",
                columns: new[] { "Node", "ContainerId", "MinuteUnixSeconds" });

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_Service_MinuteUnixSeconds",
                table: "resource_rollups",
                columns: new[] { "Service", "MinuteUnixSeconds" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_attempts_At",
                table: "webhook_attempts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_attempts_WebhookId_Id",
                table: "webhook_attempts",
                columns: new[] { "WebhookId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fleet_events");

            migrationBuilder.DropTable(
                name: "resource_rollups");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "webhooks");
        }
    }
}
