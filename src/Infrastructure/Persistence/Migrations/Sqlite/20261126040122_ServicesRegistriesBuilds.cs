using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    ServiceRevision = table.Column<int>(type: "INTEGER", nullable: false),
                    Requested = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SettingsFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Rebuild = table.Column<bool>(type: "INTEGER", nullable: false),
                    TagBranch = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CommitSha = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CommitMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CommitAuthor = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ImagesJson = table.Column<string>(type: "TEXT", nullable: false),
                    Digest = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PhasesJson = table.Column<string>(type: "TEXT", nullable: false),
                    StepsJson = table.Column<string>(type: "TEXT", nullable: false),
                    FailedPhase = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ReusedFrom = table.Column<Guid>(type: "TEXT", nullable: true),
                    LogTail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_builds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registries",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ProtectedPassword = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registries", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "service_revisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Service = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
