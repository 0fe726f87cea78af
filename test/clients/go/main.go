// A third-party Mattermost client against the double: Mattermost's own Go model.Client4
// (github.com/mattermost/mattermost/server/public, Apache-2.0), the client load-test-ng is built
// on. It sends `Authorization: BEARER` and `If-None-Match` on every call, treats any status >= 300
// as an error, and authenticates its WebSocket with authentication_challenge. The program walks
// LTNG's login and first channel view, posts, reads back and waits for its `posted` event, then
// prints one JSON summary line.
//
// Usage: go-client <base url> <login id> <password> <team id> <channel id>   (exit 0: all passed)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: go-client <base url> <login id> <password> <team id> <channel id>")
		os.Exit(2)
	}
	base, loginID, password, teamID, channelID := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	summary := map[string]any{}
	fail := func(step string, err error) {
		summary["failed"] = step + ": " + err.Error()
		out, _ := json.Marshal(summary)
		fmt.Println(string(out))
		os.Exit(1)
	}

	c := model.NewAPIv4Client(base)
	me, _, err := c.Login(ctx, loginID, password)
	if err != nil {
		fail("login", err)
	}
	summary["user"] = me.Id
	steps := []struct {
		name string
		run  func() error
	}{
		{"GET /config/client", func() error { _, _, e := c.GetClientConfig(ctx, ""); return e }},
		{"GET /teams", func() error { _, _, e := c.GetAllTeams(ctx, "", 0, 100); return e }},
		{"GET /users/{uid}/teams/members", func() error { _, _, e := c.GetTeamMembersForUser(ctx, me.Id, ""); return e }},
		{"GET /users", func() error { _, _, e := c.GetUsers(ctx, 0, 100, ""); return e }},
		{"GET /users/{uid}/preferences", func() error { _, _, e := c.GetPreferences(ctx, me.Id); return e }},
		{"GET /users/{uid}/teams/unread", func() error { _, _, e := c.GetTeamsUnreadForUser(ctx, me.Id, "", true); return e }},
		{"GET /users/{uid}/teams/{tid}/channels", func() error { _, _, e := c.GetChannelsForTeamForUser(ctx, teamID, me.Id, true, ""); return e }},
		{"GET /users/{uid}/teams/{tid}/channels/members", func() error { _, _, e := c.GetChannelMembersForUser(ctx, me.Id, teamID, ""); return e }},
		{"GET /users/{uid}/channels/{cid}/posts/unread", func() error {
			_, _, e := c.GetPostsAroundLastUnread(ctx, me.Id, channelID, 30, 30, true)
			return e
		}},
		{"GET /channels/{cid}/stats", func() error { _, _, e := c.GetChannelStats(ctx, channelID, "", true); return e }},
		{"POST /channels/members/{uid}/view", func() error {
			_, _, e := c.ViewChannel(ctx, me.Id, &model.ChannelView{ChannelId: channelID, CollapsedThreadsSupported: true})
			return e
		}},
		{"GET /users/{uid}/image", func() error { _, _, e := c.GetProfileImage(ctx, me.Id, ""); return e }},
		{"POST /users/status/ids", func() error { _, _, e := c.GetUsersStatusesByIds(ctx, []string{me.Id}); return e }},
		{"GET /users/{uid}/teams/{tid}/channels/categories", func() error {
			_, _, e := c.GetSidebarCategoriesForTeamForUser(ctx, me.Id, teamID, "")
			return e
		}},
		{"GET /channels/{cid}/bookmarks", func() error { _, _, e := c.ListChannelBookmarksForChannel(ctx, channelID, 0); return e }},
	}
	calls := map[string]string{}
	for _, s := range steps {
		if err := s.run(); err != nil {
			fail(s.name, err)
		}
		calls[s.name] = "ok"
	}
	summary["calls"] = calls

	post, _, err := c.CreatePost(ctx, &model.Post{ChannelId: channelID, Message: "from go"})
	if err != nil {
		fail("POST /posts", err)
	}
	list, _, err := c.GetPostsForChannel(ctx, channelID, 0, 30, "", true, false)
	if err != nil {
		fail("GET /channels/{cid}/posts", err)
	}
	_, found := list.Posts[post.Id]
	summary["read_back"] = found

	ws, appErr := model.NewWebSocketClient4(strings.Replace(base, "http", "ws", 1), c.AuthToken)
	if appErr != nil {
		fail("websocket", appErr)
	}
	ws.Listen()
	defer ws.Close()
	order := []string{}
	deadline := time.After(10 * time.Second)
	posted := false
	// Events and replies come on two channels and select picks among ready ones at random, so
	// keep reading until both the posted event and the challenge reply have been seen.
	for !posted || !contains(order, "reply:OK") {
		select {
		case ev := <-ws.EventChannel:
			order = append(order, "event:"+string(ev.EventType()))
			if ev.EventType() == model.WebsocketEventHello {
				if _, _, err := c.CreatePost(ctx, &model.Post{ChannelId: channelID, Message: "go over the socket"}); err != nil {
					fail("POST /posts (socket)", err)
				}
			}
			if ev.EventType() == model.WebsocketEventPosted {
				var p model.Post
				if json.Unmarshal([]byte(ev.GetData()["post"].(string)), &p) == nil && p.Message == "go over the socket" {
					posted = true
				}
			}
		case r := <-ws.ResponseChannel:
			order = append(order, "reply:"+r.Status)
		case <-deadline:
			summary["ws_order"] = order
			fail("websocket", fmt.Errorf("no posted event and OK reply within 10 s"))
		}
	}
	summary["ws_order"] = order
	summary["ws_posted"] = posted
	out, _ := json.Marshal(summary)
	fmt.Println(string(out))
	// Events and replies arrive on two channels, so their relative order is not observable here
	// (test/integration/double-conformance-semantics.test.ts checks it on the wire).
	if !found || !contains(order, "event:hello") || !contains(order, "reply:OK") {
		os.Exit(1)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
