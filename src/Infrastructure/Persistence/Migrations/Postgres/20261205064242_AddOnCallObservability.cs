using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ContainerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ContainerName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ExitCode = table.Column<int>(type: "integer", nullable: true),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: true),
                    BuildId = table.Column<Guid>(type: "uuid", nullable: true),
                    Release = table.Column<int>(type: "integer", nullable: true),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    LastAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "resource_rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContainerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MinuteUnixSeconds = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentOfHost = table.Column<double>(type: "double precision", nullable: false),
                    CpuPercentOfLimit = table.Column<double>(type: "double precision", nullable: true),
                    MemoryBytes = table.Column<long>(type: "bigint", nullable: false),
                    MemoryLimitBytes = table.Column<long>(type: "bigint", nullable: true),
                    NetworkRxBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    NetworkTxBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    BlockReadBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    BlockWriteBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    Pids = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_rollups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Kinds = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Format = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UnhealthyFor = table.Column<TimeSpan>(type: "interval", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    AllowPrivateAddress = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhooks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WebhookId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Duration = table.Column<TimeSpan>(type: "interval", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
