using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServicesRegistriesBuilds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "builds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Service = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    ServiceRevision = table.Column<int>(type: "integer", nullable: false),
                    Requested = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SettingsFingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Rebuild = table.Column<bool>(type: "boolean", nullable: false),
                    TagBranch = table.Column<bool>(type: "boolean", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CommitSha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CommitMessage = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CommitAuthor = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ImagesJson = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PhasesJson = table.Column<string>(type: "text", nullable: false),
                    StepsJson = table.Column<string>(type: "text", nullable: false),
                    FailedPhase = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ReusedFrom = table.Column<Guid>(type: "uuid", nullable: true),
                    LogTail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_builds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registries",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    UserName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ProtectedPassword = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registries", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "service_revisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Service = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    SettingsJson = table.Column<string>(type: "text", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_revisions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_builds_Digest",
                table: "builds",
                column: "Digest");

            migrationBuilder.CreateIndex(
                name: "IX_builds_Service_SettingsFingerprint_CommitSha",
                table: "builds",
                columns: new[] { "Service", "SettingsFingerprint", "CommitSha" });

            migrationBuilder.CreateIndex(
                name: "IX_builds_Service_StartedAt",
                table: "builds",
                columns: new[] { "Service", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_builds_Status",
                table: "builds",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_service_revisions_Service_Number",
                table: "service_revisions",
                columns: new[] { "Service", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "builds");

            migrationBuilder.DropTable(
                name: "registries");

            migrationBuilder.DropTable(
                name: "service_revisions");
        }
    }
}
