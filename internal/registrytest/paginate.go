package registrytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// paginate pages the tag lists of h, go-containerregistry's in-process
// registry, the way distribution does: h itself honours n but sends no Link
// header (a client would take the first page for the whole list), and it
// ignores a last at or after the final tag (a client following Links would
// loop). So paginate asks h for the whole list and cuts the page itself:
// the tags after last, at most n of them, with a Link to the next page when
// the page is full. There is no cap on n.
func paginate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, "/tags/list") {
			h.ServeHTTP(w, req)
			return
		}
		q := req.URL.Query()
		last := q.Get("last")
		n := -1
		if s := q.Get("n"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				http.Error(w, `{"errors":[{"code":"PAGINATION_NUMBER_INVALID","message":"invalid number of results requested"}]}`, http.StatusBadRequest)
				return
			}
			n = v
		}

		whole := req.Clone(req.Context())
		whole.URL.RawQuery = ""
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, whole)
		var list struct {
			Name string   `json:"name"`
			Tags []string `json:"tags"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
			copyResponse(w, rec)
			return
		}

		tags := list.Tags // sorted by h
		if last != "" {
			i := 0
			for i < len(tags) && tags[i] <= last {
				i++
			}
			tags = tags[i:]
		}
		if n >= 0 && n < len(tags) {
			tags = tags[:n]
		}
		if n > 0 && len(tags) == n {
			next := url.Values{"n": {strconv.Itoa(n)}, "last": {tags[n-1]}}
			w.Header().Set("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, req.URL.Path, next.Encode()))
		}
		if tags == nil {
			tags = []string{}
		}
		body, err := json.Marshal(struct {
			Name string   `json:"name"`
			Tags []string `json:"tags"`
		}{list.Name, tags})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}

// copyResponse writes what rec recorded to w.
func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
